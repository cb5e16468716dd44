import { and, desc, eq, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { entities, groups, revisions, users } from '@/db/schema';
import { readableBy, type Reader } from './visibility';
import { prepared } from './prepared';

/** Revision columns for lists: everything but the stored content. */
export const revisionSummary = {
  id: revisions.id,
  entityId: revisions.entityId,
  number: revisions.number,
  parentId: revisions.parentId,
  kind: revisions.kind,
  summary: revisions.summary,
  sha256: revisions.sha256,
  authors: revisions.authors,
  size: revisions.size,
  sizeDelta: revisions.sizeDelta,
  restoredFrom: revisions.restoredFrom,
  createdAt: revisions.createdAt,
};

/** The largest revision number a query may name (revisions.number is a Postgres integer). */
export const MAX_REVISION_NUMBER = 2 ** 31 - 1;

/** An entity's revisions, newest first, `limit` at a time before revision number `before`. */
export async function listRevisions(db: Db, entityId: string, { limit, before }: { limit: number; before?: number }) {
  const rows = await prepared(db, 'list_revisions', (db) =>
    db
      .select(revisionSummary)
      .from(revisions)
      .where(and(eq(revisions.entityId, sql.placeholder('entityId')), lte(revisions.number, sql.placeholder('upTo'))))
      .orderBy(desc(revisions.number))
      .limit(sql.placeholder('limit'))
      .prepare('list_revisions'),
  ).execute({ entityId, upTo: before === undefined ? MAX_REVISION_NUMBER : before - 1, limit: limit + 1 });
  return { items: rows.slice(0, limit), nextBefore: rows.length > limit ? rows[limit - 1].number : null };
}

/**
 * The entity's newest revision, its id and number. Revisions are numbered 1, 2, 3… and never
 * deleted, so the number is also how many there are ("revision N of M").
 */
export async function latestRevisionRef(db: Db, entityId: string): Promise<{ id: string; number: number } | null> {
  const [row] = await db.select({ id: revisions.id, number: revisions.number }).from(revisions).where(eq(revisions.entityId, entityId)).orderBy(desc(revisions.number)).limit(1);
  return row ?? null;
}

/** One revision with its entity's access settings and names, and the entity's newest revision; null when unknown. */
export async function findRevision(db: Db, revisionId: string) {
  const [row] = await prepared(db, 'find_revision', (db) => {
    // The newest revision comes in the same query (two index lookups): pages show "revision N of M".
    const newest = (column: 'id' | 'number') => sql.raw(`(select l.${column} from revisions l where l.entity_id = "revisions"."entity_id" order by l.number desc limit 1)`);
    return db
      .select({
        revision: revisions,
        entity: { id: entities.id, slug: entities.slug, title: entities.title, type: entities.type, groupId: entities.groupId, visibility: entities.visibility, protected: entities.protected },
        groupName: groups.name,
        latest: { id: sql<string>`${newest('id')}`, number: sql<number>`${newest('number')}`.mapWith(Number) },
      })
      .from(revisions)
      .innerJoin(entities, eq(entities.id, revisions.entityId))
      .leftJoin(groups, eq(groups.id, entities.groupId))
      .where(eq(revisions.id, sql.placeholder('id')))
      .prepare('find_revision');
  }).execute({ id: revisionId });
  return row ?? null;
}

/** Marks a revision as cited (once): from then on it can never be deleted. */
export async function markCited(db: Db, revisionId: string): Promise<void> {
  await db.update(revisions).set({ citedAt: sql`now()` }).where(and(eq(revisions.id, revisionId), sql`${revisions.citedAt} is null`));
}

export type RecentFilter = { type?: string; groupId?: string; userId?: string; limit: number; before?: Date };

/**
 * Recent changes across the wiki that the reader may see, newest first: by entity type, by
 * owning group, or by a user (their contributions: revisions they authored or saved).
 */
export async function recentChanges(db: Db, reader: Reader, f: RecentFilter) {
  const byUser: SQL | undefined = f.userId
    ? sql`(${revisions.createdBy} = ${f.userId} or ${revisions.authors} @> ${JSON.stringify([{ id: f.userId }])}::jsonb)`
    : undefined;
  const rows = await db
    .select({ ...revisionSummary, entity: { slug: entities.slug, title: entities.title, type: entities.type }, savedBy: users.username })
    .from(revisions)
    .innerJoin(entities, eq(entities.id, revisions.entityId))
    .leftJoin(users, eq(users.id, revisions.createdBy))
    .where(and(readableBy(reader, entities), f.type ? eq(entities.type, f.type) : undefined, f.groupId ? eq(entities.groupId, f.groupId) : undefined, byUser, f.before ? lt(revisions.createdAt, f.before) : undefined))
    .orderBy(desc(revisions.createdAt), desc(revisions.number))
    .limit(f.limit);
  return rows;
}
