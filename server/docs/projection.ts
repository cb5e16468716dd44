import { createHash } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { entities, entityCitations, entityLinks, entityNames, sources, type CitationRef } from '@/db/schema';
import { wellFormedStatements } from '@/components/model/statements';
import { dateSortKey } from '@/components/model/dates';
import { MAIN_DATE_FIELD, MAX_FIELD_CHARS, MAX_LIST_ITEMS, type EntityType } from '@/components/model/entity-types';
import { normalizeName } from '@/components/model/names';
import type { EntityContent, Statement } from './entity-doc';
import { bodyCitations, bodyEntityLinks, bodyToText } from './body-text';
import { isUuid } from '@/components/model/ids';

function fieldText(value: unknown): string {
  if (Array.isArray(value)) return value.map(fieldText).join(' ');
  return typeof value === 'string' ? value : '';
}

/** The most of the body's first line kept as the summary (lists show 200–240 characters of it). */
const MAX_SUMMARY_CHARS = 1000;
/**
 * The most text of a page indexed for search: its first 200,000 characters (a long book
 * chapter). PostgreSQL's tsvector holds under 1 MB; a page past it would not be indexed at all.
 */
const MAX_SEARCH_TEXT_CHARS = 200_000;
/** The doc's aliases that can be names: strings, trimmed, within the infobox schema's limits (any client can write any value). */
function aliasesOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((a): a is string => typeof a === 'string')
    .map((a) => a.trim().slice(0, MAX_FIELD_CHARS))
    .filter(Boolean)
    .slice(0, MAX_LIST_ITEMS);
}

/** What was last written for an entity, part by part: a refresh writes only the parts that differ. */
export type ProjectionMemo = { row: string; names: string; relations: string };

const digest = (value: unknown) => createHash('sha1').update(JSON.stringify(value)).digest('base64');

/**
 * The writes that bring an entity's Postgres projections up to date with its doc content:
 * the row (title, summary, fields, body, search text), its names, and its outgoing links and
 * citations. With `previous` (the memo of the last refresh), only the parts that changed are
 * written: typing in the body rewrites the row, not the names, links and citations.
 */
export function planProjection(entityId: string, type: EntityType, content: EntityContent, previous?: ProjectionMemo): { memo: ProjectionMemo; writes: ((db: Db) => Promise<void>)[] } {
  const { fields, body } = content;
  // A doc with no title (someone clearing it to type another) leaves the page's title, and its
  // name in search, as they were: a page always has a name.
  const title = typeof fields.title === 'string' ? fields.title.trim().slice(0, 300) : '';
  const aliases = aliasesOf(fields.aliases);
  const text = bodyToText(body).trim();
  const summary = (text.split('\n')[0] ?? '').slice(0, MAX_SUMMARY_CHARS);
  const mainDate = fields[MAIN_DATE_FIELD[type]];
  const searchText = [aliases.join(' '), ...Object.entries(fields).filter(([k]) => k !== 'title' && k !== 'aliases').map(([, v]) => fieldText(v)), text].join('\n').slice(0, MAX_SEARCH_TEXT_CHARS);
  const row = { ...(title ? { title } : {}), summary, fields, body, searchText, sortDate: typeof mainDate === 'string' ? dateSortKey(mainDate) : null };

  const names = new Map<string, { name: string; isTitle: number }>();
  for (const [name, isTitle] of [...(title ? [[title, 1] as const] : []), ...aliases.map((a) => [a, 0] as const)] as const) {
    const norm = normalizeName(name);
    if (norm && !names.has(norm)) names.set(norm, { name, isTitle });
  }
  const raw = wellFormedStatements(content.statements);
  const linked = bodyEntityLinks(body);
  const cited = bodyCitations(body);
  const memo: ProjectionMemo = { row: digest(row), names: digest([...names]), relations: digest([raw, linked, cited]) };
  const writes: ((db: Db) => Promise<void>)[] = [];

  if (memo.row !== previous?.row) {
    writes.push(async (db) => {
      await db.update(entities).set({ ...row, updatedAt: new Date() }).where(eq(entities.id, entityId));
    });
  }
  if (memo.names !== previous?.names) {
    writes.push(async (db) => {
      // Without a title in the doc, the title's name stays (an alias spelt like it is left out).
      await db.delete(entityNames).where(title ? eq(entityNames.entityId, entityId) : and(eq(entityNames.entityId, entityId), eq(entityNames.isTitle, 0)));
      if (names.size) await db.insert(entityNames).values([...names].map(([norm, n]) => ({ entityId, norm, name: n.name, isTitle: n.isTitle }))).onConflictDoNothing();
    });
  }
  if (memo.relations !== previous?.relations) writes.push((db) => projectRelations(db, entityId, raw, linked, cited));
  return { memo, writes };
}

/** Writes every projection of an entity with `db` (the seed and new entities). */
export async function projectEntity(db: Db, entityId: string, type: EntityType, content: EntityContent): Promise<void> {
  for (const write of planProjection(entityId, type, content).writes) await write(db);
}

/** Outgoing links (statements and body links to entities that exist) and verified citations. */
async function projectRelations(db: Db, entityId: string, raw: Statement[], linked: string[], cited: CitationRef[]): Promise<void> {
  const verified = await verifiedCitations(db, [...cited, ...raw.flatMap((s) => s.citations)]);
  const isVerified = new Set(verified.map(citationKey));
  const statements = raw.map((s) => ({ ...s, citations: s.citations.filter((c) => isVerified.has(citationKey(c))) }));
  await db.delete(entityLinks).where(eq(entityLinks.fromId, entityId));
  // A doc may point at entities that no longer exist (or at garbage): project only real targets.
  const targets = [...new Set([...statements.map((s) => s.targetEntityId), ...linked])].filter((id) => isUuid(id));
  const existing = targets.length
    ? new Set((await db.select({ id: entities.id }).from(entities).where(inArray(entities.id, targets))).map((r) => r.id))
    : new Set<string>();
  const links = [
    ...statements.map((s, position) => ({ fromId: entityId, toId: s.targetEntityId, predicate: s.predicate, qualifiers: s.qualifiers, citations: s.citations, position })),
    ...linked.map((toId, i) => ({ fromId: entityId, toId, predicate: 'link', position: statements.length + i })),
  ];
  const real = links.filter((l) => existing.has(l.toId) && l.toId !== entityId);
  if (real.length) await db.insert(entityLinks).values(real);

  await db.delete(entityCitations).where(eq(entityCitations.entityId, entityId));
  const unique = new Map(verified.map((c) => [citationKey(c), c]));
  if (unique.size) await db.insert(entityCitations).values([...unique.values()].map((c) => ({ entityId, ...c })));
}

const citationKey = (c: CitationRef) => `${c.sourceId}:${c.start}:${c.end}`;

/** Only citations whose quote is exactly the source text at their offsets are projected. */
async function verifiedCitations(db: Db, cites: CitationRef[]): Promise<CitationRef[]> {
  if (cites.length === 0) return [];
  const ids = [...new Set(cites.map((c) => String(c?.sourceId)))];
  const texts = new Map((await db.select({ id: sources.id, text: sources.text }).from(sources).where(inArray(sources.id, ids))).map((s) => [s.id, s.text]));
  return cites.filter((c) => c && Number.isInteger(c.start) && Number.isInteger(c.end) && c.end > c.start && texts.get(c.sourceId)?.slice(c.start, c.end) === c.quote);
}
