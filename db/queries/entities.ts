import { and, asc, count, desc, eq, gt, ilike, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { entities, entityNames } from '@/db/schema';
import type { EntityType } from '@/components/model/entity-types';
import { normalizeName } from '@/components/model/names';
import { readableBy, type Reader } from './visibility';
import { isUuid } from '@/components/model/ids';
import { prepared } from './prepared';

/** What lists and cards show of an entity. */
export const entityCard = {
  id: entities.id,
  slug: entities.slug,
  type: entities.type,
  title: entities.title,
  summary: entities.summary,
  sortDate: entities.sortDate,
  fields: entities.fields,
};
export type EntityCard = { id: string; slug: string; type: string; title: string; summary: string; sortDate: string | null; fields: Record<string, unknown> };

/** How many entities there are of each type. */
export async function countEntitiesByType(db: Db, reader: Reader): Promise<Record<string, number>> {
  const rows = await db.select({ type: entities.type, n: count() }).from(entities).where(readableBy(reader, entities)).groupBy(entities.type);
  return Object.fromEntries(rows.map((r) => [r.type, Number(r.n)]));
}

/** The most recently changed entities. */
export async function recentlyUpdatedEntities(db: Db, reader: Reader, limit = 8): Promise<EntityCard[]> {
  return db.select(entityCard).from(entities).where(readableBy(reader, entities)).orderBy(desc(entities.updatedAt), asc(entities.title)).limit(limit);
}

/** One entity by id or slug, with everything its page shows from the projection. */
export async function findEntity(db: Db, idOrSlug: string) {
  const where = isUuid(idOrSlug) ? or(eq(entities.id, idOrSlug), eq(entities.slug, idOrSlug)) : eq(entities.slug, idOrSlug);
  const [row] = await db.select().from(entities).where(where);
  return row ?? null;
}

/** What access checks and links need of an entity. */
export const entityRef = {
  id: entities.id,
  slug: entities.slug,
  type: entities.type,
  title: entities.title,
  groupId: entities.groupId,
  visibility: entities.visibility,
  protected: entities.protected,
};

/** The same lookup as `findEntity`, without the content columns (body, fields, search text). */
export async function findEntityRef(db: Db, idOrSlug: string) {
  const key = sql.placeholder('key');
  // A uuid may be an id or (rarely) a slug; anything else can only be a slug.
  const [row] = isUuid(idOrSlug)
    ? await prepared(db, 'entity_ref_by_id_or_slug', (db) => db.select(entityRef).from(entities).where(or(eq(entities.id, key), eq(entities.slug, key))).prepare('entity_ref_by_id_or_slug')).execute({ key: idOrSlug })
    : await prepared(db, 'entity_ref_by_slug', (db) => db.select(entityRef).from(entities).where(eq(entities.slug, key)).prepare('entity_ref_by_slug')).execute({ key: idOrSlug });
  return row ?? null;
}

/** The entity a name (title or alias, any case, accents ignored) belongs to, when exactly one does. */
export async function findEntityByName(db: Db, reader: Reader, name: string): Promise<EntityCard | null> {
  const norm = normalizeName(name);
  if (!norm) return null;
  const rows = await db
    .selectDistinct(entityCard)
    .from(entityNames)
    .innerJoin(entities, eq(entities.id, entityNames.entityId))
    .where(and(eq(entityNames.norm, norm), readableBy(reader, entities)))
    .limit(2);
  return rows.length === 1 ? rows[0] : null;
}

/**
 * The readable pages that have one of `names` as their title or an alias (compared as
 * `findEntityByName` does): a row per page and name, with the name normalized and whether it
 * is the page's title.
 */
export async function pagesNamed(db: Db, reader: Reader, names: string[]): Promise<{ norm: string; isTitle: boolean; id: string; slug: string; title: string }[]> {
  const norms = [...new Set(names.map(normalizeName).filter(Boolean))];
  if (norms.length === 0) return [];
  const rows = await db
    .select({ norm: entityNames.norm, isTitle: entityNames.isTitle, id: entities.id, slug: entities.slug, title: entities.title })
    .from(entityNames)
    .innerJoin(entities, eq(entities.id, entityNames.entityId))
    .where(and(inArray(entityNames.norm, norms), readableBy(reader, entities)));
  return rows.map((r) => ({ ...r, isTitle: r.isTitle === 1 }));
}

export type ListOptions = { reader: Reader; type?: EntityType; letter?: string; q?: string; limit: number; cursor?: string };

/**
 * Entities in title order, optionally of one type, starting with a letter, or whose title
 * contains `q`. Keyset pagination: `cursor` is the last title of the previous page.
 */
export async function listEntities(db: Db, o: ListOptions): Promise<{ items: EntityCard[]; nextCursor: string | null }> {
  const conditions = [
    readableBy(o.reader, entities),
    o.type ? eq(entities.type, o.type) : undefined,
    o.letter ? ilike(entities.title, `${escapeLike(o.letter)}%`) : undefined,
    o.q ? ilike(entities.title, `%${escapeLike(o.q)}%`) : undefined,
    o.cursor ? gt(sql`(${entities.title}, ${entities.slug})`, sql`(${o.cursor.split('\u0000')[0]}, ${o.cursor.split('\u0000')[1] ?? ''})`) : undefined,
  ].filter(Boolean);
  const rows = await db
    .select(entityCard)
    .from(entities)
    .where(and(...conditions))
    .orderBy(asc(entities.title), asc(entities.slug))
    .limit(o.limit + 1);
  const items = rows.slice(0, o.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > o.limit && last ? `${last.title}\u0000${last.slug}` : null };
}

/** Entity cards by id, in no particular order (an id that is not a UUID names none). */
export async function entityCardsByIds(db: Db, reader: Reader, ids: string[]): Promise<EntityCard[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return [];
  return db.select(entityCard).from(entities).where(and(inArray(entities.id, valid), readableBy(reader, entities)));
}

/** `%`, `_` and `\` taken literally in a LIKE pattern. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
