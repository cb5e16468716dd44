import { cache } from 'react';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { getDb } from '@/db/client';
import { entityCardsByIds } from '@/db/queries/entities';
import { findRevision, latestRevisionRef, listRevisions } from '@/db/queries/revisions';
import type { BodyJson } from '@/db/schema';
import type { EntityContent } from '@/server/docs/entity-doc';
import { isUuid } from '@/components/model/ids';
import { currentViewer } from '@/server/auth/request';
import { canEditEntity, canReadEntity } from '@/server/policies/entity';
import { bodyCitations, bodyEntityLinks } from '@/server/docs/body-text';
import { revisionContent } from '@/server/revisions/store';
import { diffContents } from '@/server/revisions/diff';
import { CITE_STYLES, formatCitation } from '@/server/revisions/cite';
import { citeDataFor } from '@/server/revisions/cite-data';
import { numberReferences } from './references';
import { infoboxLinks, readablePageEntity } from './entity-page';

/** This site's origin as the browser sees it (for permalinks in citations). */
async function pageOrigin(): Promise<string> {
  if (process.env.PUBLIC_URL) return process.env.PUBLIC_URL.replace(/\/$/, '');
  const h = await headers();
  return `${h.get('x-forwarded-proto') ?? 'http'}://${h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost'}`;
}

// Loaders read the viewer and the requested row at the same time (one round trip to the
// database, not two), and check access before anything is returned.
async function readable(revisionId: string) {
  const [viewer, found] = await Promise.all([currentViewer(), isUuid(revisionId) ? findRevision(getDb(), revisionId) : null]);
  if (!found || !canReadEntity(viewer, found.entity)) notFound();
  return { viewer, found };
}

/** A revision's read-only page: its content as it was, where it stands in the history, and its citations. */
export const loadRevisionPage = cache(async (revisionId: string) => {
  const db = getDb();
  const { viewer, found } = await readable(revisionId);
  const { revision, entity, latest } = found;
  const content = await revisionContent(db, revision);
  const body = content.body as BodyJson;
  const targets = [...bodyEntityLinks(body), ...content.statements.map((s) => s.targetEntityId)];
  const [cards, fieldLinks, refs] = await Promise.all([
    entityCardsByIds(db, viewer, targets),
    infoboxLinks(db, viewer, entity, content.fields),
    numberReferences(db, [...bodyCitations(body), ...content.statements.flatMap((s) => s.citations ?? [])]),
  ]);
  const byId = new Map(cards.map((c) => [c.id, c]));
  const title = String(content.fields.title ?? entity.title);
  const cite = citeDataFor(found, title, await pageOrigin());
  return {
    revision,
    entity,
    title,
    content,
    total: latest.number,
    latestId: latest.id,
    linkedEntities: Object.fromEntries(cards.map((c) => [c.id, { slug: c.slug, title: c.title }])),
    fieldLinks,
    relations: content.statements.flatMap((s) => {
      const other = byId.get(s.targetEntityId);
      return other ? [{ predicate: s.predicate, direction: 'out' as const, qualifiers: s.qualifiers ?? {}, citations: s.citations ?? [], other }] : [];
    }),
    ...refs,
    citations: Object.fromEntries(CITE_STYLES.map((style) => [style, formatCitation(style, cite)])) as Record<(typeof CITE_STYLES)[number], string>,
    permalink: cite.url,
    canRestore: canEditEntity(viewer, entity) && latest.id !== revision.id,
  };
});

/** An entity's history page. */
export async function loadHistoryPage(slug: string, before?: number) {
  const db = getDb();
  const { entity } = await readablePageEntity(slug);
  // Revisions are numbered 1, 2, 3… and never deleted: the newest one's number is how many there are.
  const [page, latest] = await Promise.all([listRevisions(db, entity.id, { limit: 50, before }), before ? latestRevisionRef(db, entity.id) : null]);
  return { entity, total: (before ? latest?.number : page.items[0]?.number) ?? 0, ...page };
}

/** What a page held before its first revision: nothing. */
const NOTHING: EntityContent = { fields: {}, statements: [], body: { type: 'doc', content: [] } };

/**
 * The diff between two revisions of one entity (`againstId`, else the revision's parent; for
 * a first revision, against nothing: all it holds shows as added). Null `error` when they can
 * be compared.
 */
export async function loadDiffPage(revisionId: string, againstId: string | undefined) {
  const db = getDb();
  const { viewer, found: to } = await readable(revisionId);
  const fromId = againstId && isUuid(againstId) ? againstId : to.revision.parentId;
  const from = fromId === null ? null : await findRevision(db, fromId);
  if (fromId !== null && (!from || !canReadEntity(viewer, from.entity))) notFound();
  if (from && from.entity.id !== to.entity.id) return { error: 'These two revisions belong to different pages and cannot be compared.' as const };
  const diff = diffContents(from ? await revisionContent(db, from.revision) : NOTHING, await revisionContent(db, to.revision));
  const ids = [...new Set(diff.statements.map((s) => s.statement.targetEntityId))];
  const cards = await entityCardsByIds(db, viewer, ids);
  return { error: null, from: from?.revision ?? null, to: to.revision, entity: to.entity, diff, targetTitles: Object.fromEntries(cards.map((c) => [c.id, c.title])) };
}
