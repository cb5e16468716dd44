import type { Db } from '@/db/client';
import { entityCardsByIds, findEntity } from '@/db/queries/entities';
import { entityBacklinks, entityRelations } from '@/db/queries/relations';
import { listSources } from '@/db/queries/sources';
import type { BodyJson, CitationRef } from '@/db/schema';
import { bodyCitations, bodyEntityLinks } from '@/server/docs/body-text';

const key = (c: CitationRef) => `${c.sourceId}:${c.start}:${c.end}`;

/** Everything an entity page shows, from the projections; null when no entity has that id or slug. */
export async function loadEntityPage(db: Db, idOrSlug: string) {
  const entity = await findEntity(db, idOrSlug);
  if (!entity) return null;
  const body = entity.body as BodyJson;
  const [relations, backlinks, linked, sources] = await Promise.all([
    entityRelations(db, entity.id),
    entityBacklinks(db, entity.id),
    entityCardsByIds(db, bodyEntityLinks(body)),
    listSources(db),
  ]);
  // References are numbered in reading order: the body first, then the relations' citations.
  const refNumbers: Record<string, number> = {};
  const references: (CitationRef & { n: number; sourceTitle: string })[] = [];
  const sourceTitle = new Map(sources.map((s) => [s.id, s.title]));
  for (const c of [...bodyCitations(body), ...relations.flatMap((r) => r.citations)]) {
    if (refNumbers[key(c)]) continue;
    refNumbers[key(c)] = references.length + 1;
    references.push({ ...c, n: references.length + 1, sourceTitle: sourceTitle.get(c.sourceId) ?? c.sourceId });
  }
  return {
    entity,
    relations,
    backlinks,
    linkedEntities: Object.fromEntries(linked.map((e) => [e.id, { slug: e.slug, title: e.title }])),
    refNumbers,
    references,
  };
}

export type EntityPageData = NonNullable<Awaited<ReturnType<typeof loadEntityPage>>>;
