import { and, asc, desc, eq, gte, inArray, isNotNull, lte, max, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { entities, pendingAuthors, revisions, users, type Revision, type RevisionKind } from '@/db/schema';
import type { EntityContent } from '@/server/docs/entity-doc';
import { canonicalize, fromPretty } from './canonical';
import { applyPatch, makePatch } from './line-patch';
import { createLru } from '@/server/lru';
import { prepared } from '@/db/queries/prepared';

/** A full snapshot every this many revisions; the ones between store a patch against their parent. */
export const KEYFRAME_EVERY = 32;

// Revisions never change, so their reconstructed text can be cached by id: 32 M characters
// (~64 MB) of the most recently used. One cache per process, on globalThis: Next bundles this
// module into more than one chunk, and each copy would otherwise keep its own.
const CACHE_CHARS = 32 * 1024 * 1024;
const KEY = Symbol.for('kb.revision-texts');
type TextCache = ReturnType<typeof createLru<string>>;
const cache = ((globalThis as { [KEY]?: TextCache })[KEY] ??= createLru(CACHE_CHARS, (text: string) => text.length));

function remember(id: string, pretty: string): string {
  cache.set(id, pretty);
  return pretty;
}

/** The pretty canonical JSON of a revision: its snapshot, or the nearest earlier snapshot with the patches since. */
export async function revisionPretty(db: Db, revision: Revision): Promise<string> {
  const hit = cache.get(revision.id);
  if (hit !== undefined) return hit;
  if (revision.snapshot !== null) return remember(revision.id, revision.snapshot);
  const chain = await prepared(db, 'revision_chain', (db) => {
    // The nearest keyframe at or before this revision, and every revision from it to this one.
    const [entityId, number] = [sql.placeholder('entityId'), sql.placeholder('number')];
    const keyframe = db
      .select({ number: max(revisions.number) })
      .from(revisions)
      .where(and(eq(revisions.entityId, entityId), lte(revisions.number, number), isNotNull(revisions.snapshot)));
    return db
      .select({ id: revisions.id, snapshot: revisions.snapshot, patch: revisions.patch })
      .from(revisions)
      .where(and(eq(revisions.entityId, entityId), gte(revisions.number, sql`coalesce((${keyframe}), 1)`), lte(revisions.number, number)))
      .orderBy(asc(revisions.number))
      .prepare('revision_chain');
  }).execute({ entityId: revision.entityId, number: revision.number });
  let lines: string[] = [];
  for (const step of chain) {
    const cached = cache.get(step.id);
    if (cached !== undefined) lines = cached.split('\n');
    else if (step.snapshot !== null) lines = step.snapshot.split('\n');
    else if (step.patch) lines = applyPatch(lines, step.patch);
  }
  return remember(revision.id, lines.join('\n'));
}

/** A revision's content as stored: `{body, fields, statements}`. */
export async function revisionContent(db: Db, revision: Revision): Promise<EntityContent> {
  return JSON.parse(await revisionPretty(db, revision)) as EntityContent;
}

export async function latestRevision(db: Db, entityId: string): Promise<Revision | null> {
  const [row] = await db.select().from(revisions).where(eq(revisions.entityId, entityId)).orderBy(desc(revisions.number)).limit(1);
  return row ?? null;
}

export type NewRevision = {
  kind: RevisionKind;
  summary: string;
  content: EntityContent;
  createdBy: string | null;
  restoredFrom?: string | null;
};

/**
 * Records the entity's content as its next revision, unless it hashes the same as the latest
 * one (then nothing is written and `created` is false). Authors are the users whose updates
 * went in since the parent. Numbering is serialised per entity by locking its row.
 */
export async function createRevision(db: Db, entityId: string, input: NewRevision): Promise<{ created: boolean; revision: Revision }> {
  const canonical = canonicalize(input.content);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select 1 from ${entities} where ${entities.id} = ${entityId} for update`);
    const parent = await latestRevision(tx, entityId);
    if (parent && parent.sha256 === canonical.sha256) return { created: false, revision: parent };
    const number = (parent?.number ?? 0) + 1;
    const keyframe = !parent || number % KEYFRAME_EVERY === 1;
    const patch = keyframe ? null : makePatch((await revisionPretty(tx, parent)).split('\n'), canonical.pretty.split('\n'));
    const authored = await tx.delete(pendingAuthors).where(eq(pendingAuthors.entityId, entityId)).returning({ userId: pendingAuthors.userId });
    const authors = authored.length
      ? await tx.select({ id: users.id, username: users.username }).from(users).where(inArray(users.id, authored.map((a) => a.userId))).orderBy(asc(users.usernameNorm))
      : [];
    const [revision] = await tx
      .insert(revisions)
      .values({
        entityId,
        number,
        parentId: parent?.id ?? null,
        kind: input.kind,
        summary: input.summary,
        snapshot: keyframe ? canonical.pretty : null,
        patch,
        sha256: canonical.sha256,
        authors,
        size: canonical.size,
        sizeDelta: canonical.size - (parent?.size ?? 0),
        createdBy: input.createdBy,
        restoredFrom: input.restoredFrom ?? null,
      })
      .returning();
    remember(revision.id, canonical.pretty);
    return { created: true, revision };
  });
}

/** Verifies stored content against its hash (used by tests and the verify page). */
export function prettyHash(pretty: string): string {
  return fromPretty(pretty).sha256;
}
