import { and, asc, eq, gt, lte } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Db } from '@/db/client';
import { entityClients, entityDocs, entityUpdates, pendingAuthors } from '@/db/schema';

type Pending = { entityId: string; update: Uint8Array; userId: string | null; clientIds: number[]; done: () => void; failed: (err: unknown) => void };

/**
 * Appends document updates to Postgres with group commit: updates arriving within
 * `windowMs` of each other are written in one transaction. `append` resolves once the
 * update is durable. Also records which user owns each Yjs clientID.
 */
export function createUpdateLog(db: Db, { windowMs = 2, maxBatch = 500 } = {}) {
  let queue: Pending[] = [];
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();

  async function write(batch: Pending[]): Promise<void> {
    try {
      await db.transaction(async (tx) => {
        await tx.insert(entityUpdates).values(batch.map((p) => ({ entityId: p.entityId, update: p.update, userId: p.userId })));
        const owners = new Map<string, { entityId: string; clientId: number; userId: string }>();
        for (const p of batch) {
          if (!p.userId) continue;
          for (const clientId of p.clientIds) owners.set(`${p.entityId}:${clientId}`, { entityId: p.entityId, clientId, userId: p.userId });
        }
        if (owners.size) await tx.insert(entityClients).values([...owners.values()]).onConflictDoNothing();
        // The authors of the entity's next revision.
        const authors = new Map(batch.filter((p) => p.userId).map((p) => [`${p.entityId}:${p.userId}`, { entityId: p.entityId, userId: p.userId! }]));
        if (authors.size) await tx.insert(pendingAuthors).values([...authors.values()]).onConflictDoNothing();
      });
      for (const p of batch) p.done();
    } catch (err) {
      for (const p of batch) p.failed(err);
    }
  }

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = queue;
    queue = [];
    if (batch.length) writing = writing.then(() => write(batch));
    return writing;
  }

  return {
    /** Queues an update for the next group commit; resolves when it is in the database. */
    append(entityId: string, update: Uint8Array, userId: string | null): Promise<void> {
      const clientIds = [...Y.parseUpdateMeta(update).to.keys()];
      return new Promise<void>((done, failed) => {
        queue.push({ entityId, update, userId, clientIds, done, failed });
        if (queue.length >= maxBatch) void flush();
        else timer ??= setTimeout(() => void flush(), windowMs);
      });
    },
    /** Writes everything queued; resolves when it is durable. */
    flush,
  };
}

export type UpdateLog = ReturnType<typeof createUpdateLog>;

/**
 * Folds an entity's logged updates into its snapshot and deletes them, in one transaction.
 * The new snapshot merges the old one, every folded row and `doc` (the live state), so no
 * row's content can be lost even if `doc` has not seen it (another instance wrote it).
 */
export async function compactEntity(db: Db, entityId: string, doc: Y.Doc | null): Promise<void> {
  await db.transaction(async (tx) => {
    const [snapshot] = await tx.select().from(entityDocs).where(eq(entityDocs.entityId, entityId));
    if (!snapshot) return;
    const rows = await tx
      .select({ id: entityUpdates.id, update: entityUpdates.update })
      .from(entityUpdates)
      .where(and(eq(entityUpdates.entityId, entityId), gt(entityUpdates.id, snapshot.compactedThrough)))
      .orderBy(asc(entityUpdates.id));
    if (rows.length === 0) return;
    const throughId = rows[rows.length - 1].id;
    const merged = Y.mergeUpdates([snapshot.state, ...rows.map((r) => r.update), ...(doc ? [Y.encodeStateAsUpdate(doc)] : [])]);
    await tx
      .update(entityDocs)
      .set({ state: merged, stateVector: Y.encodeStateVectorFromUpdate(merged), compactedThrough: throughId, updatedAt: new Date() })
      .where(eq(entityDocs.entityId, entityId));
    await tx.delete(entityUpdates).where(and(eq(entityUpdates.entityId, entityId), lte(entityUpdates.id, throughId)));
  });
}
