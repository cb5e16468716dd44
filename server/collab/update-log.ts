import { and, eq, lte, sql, type SQL } from 'drizzle-orm';
import * as Y from 'yjs';
import { resultRows, type Db } from '@/db/client';
import { entityDocs, entityUpdates } from '@/db/schema';
import { INLINE_BYTES, RELAY_CHANNEL } from './relay';
import { prepared } from '@/db/queries/prepared';
import { mergeUpdatesInBackground } from './background-merge';

type Pending = { entityId: string; update: Uint8Array; userId: string | null; clientIds: number[]; done: () => void; failed: (err: unknown) => void };

/**
 * Appends document updates to Postgres with group commit: an update is written at once when
 * no write is in flight; those arriving meanwhile go together in the next transaction.
 * `append` resolves once the update is durable. Also records which user owns each Yjs
 * clientID and who the authors of the next revision are (each pair once per process).
 * When `announceAs` gives a name (another instance is there: relay.ts), the same statement
 * announces the rows on the relay channel: a notification per entity, sent on commit.
 */
export function createUpdateLog(db: Db, { maxBatch = 500, announceAs = () => null }: { maxBatch?: number; announceAs?: () => string | null } = {}) {
  const queue: Pending[] = [];
  let scheduled = false;
  let inFlight = false;
  let writing: Promise<void> = Promise.resolve();
  const recorded = new Set<string>(); // `entity:client` and `entity:user` pairs already stored

  async function write(batch: Pending[]): Promise<void> {
    try {
      const owners = new Map<string, { entityId: string; clientId: number; userId: string }>();
      const authors = new Map<string, { entityId: string; userId: string }>();
      for (const p of batch) {
        if (!p.userId) continue;
        for (const clientId of p.clientIds) if (!recorded.has(`${p.entityId}:${clientId}`)) owners.set(`${p.entityId}:${clientId}`, { entityId: p.entityId, clientId, userId: p.userId });
        if (!recorded.has(`${p.entityId}:${p.userId}`)) authors.set(`${p.entityId}:${p.userId}`, { entityId: p.entityId, userId: p.userId });
      }
      const announcer = announceAs();
      const recordsNew = owners.size > 0 || authors.size > 0;
      if (!announcer && !recordsNew && batch.length === 1) {
        // The commonest write (one edit, its sender's client id already recorded): a statement prepared once.
        const [p] = batch;
        await insertOne(db).execute({ entityId: p.entityId, update: p.update, userId: p.userId });
      } else {
        await db.execute(batchStatement(batch, [...owners.values()], [...authors.values()], announcer));
      }
      if (recordsNew) {
        for (const key of [...owners.keys(), ...authors.keys()]) recorded.add(key);
        if (recorded.size > 100_000) recorded.clear();
      }
      for (const p of batch) p.done();
    } catch (err) {
      for (const p of batch) p.failed(err);
    }
  }

  /** Writes what is queued, then (while more arrived meanwhile) the next batch. */
  function flush(): Promise<void> {
    scheduled = false;
    if (inFlight || queue.length === 0) return writing;
    const batch = queue.splice(0, maxBatch);
    inFlight = true;
    writing = write(batch).then(() => {
      inFlight = false;
      if (queue.length) return flush();
    });
    return writing;
  }

  return {
    /** Queues an update for the next group commit; resolves when it is in the database. */
    append(entityId: string, update: Uint8Array, userId: string | null): Promise<void> {
      const clientIds = [...Y.parseUpdateMeta(update).to.keys()];
      return new Promise<void>((done, failed) => {
        queue.push({ entityId, update, userId, clientIds, done, failed });
        if (!scheduled && !inFlight) {
          scheduled = true;
          setImmediate(() => void flush()); // updates from the same tick go in one write
        }
      });
    },
    /** Resolves when the write in flight (and those queued meanwhile) is done, without starting one. */
    async written(): Promise<void> {
      await writing;
    },
    /** Writes everything queued (and in flight); resolves when it is durable. */
    async flush(): Promise<void> {
      while (queue.length || inFlight) await flush();
    },
  };
}

export type UpdateLog = ReturnType<typeof createUpdateLog>;

/**
 * One statement, so one round trip, for a batch of updates: plain multi-row INSERTs (the query
 * builder costs more CPU than the write), with the new client owners and authors (the authors
 * of the entity's next revision) in CTEs, and with `announcer` a notification per entity on
 * the relay channel (small updates, typing, travel in it, so the others need not read them).
 */
function batchStatement(
  batch: Pending[],
  owners: { entityId: string; clientId: number; userId: string }[],
  authors: { entityId: string; userId: string }[],
  announcer: string | null,
): SQL {
  const logged = sql`insert into entity_updates (entity_id, update, user_id) values ${sql.join(
    batch.map((p) => sql`(${p.entityId}, ${p.update}, ${p.userId})`),
    sql`, `,
  )}`;
  const also = [
    ...(owners.length ? [sql`owners as (insert into entity_clients (entity_id, client_id, user_id) values ${sql.join(owners.map((o) => sql`(${o.entityId}, ${o.clientId}, ${o.userId})`), sql`, `)} on conflict do nothing)`] : []),
    ...(authors.length ? [sql`authors as (insert into pending_authors (entity_id, user_id) values ${sql.join(authors.map((a) => sql`(${a.entityId}, ${a.userId})`), sql`, `)} on conflict do nothing)`] : []),
  ];
  const alsoCtes = also.length ? sql`, ${sql.join(also, sql`, `)}` : sql``;
  if (announcer) {
    return sql`with logged as (${logged} returning entity_id, id, update)${alsoCtes}
      select pg_notify(${RELAY_CHANNEL}, concat_ws(' ', 'u', ${announcer}::text, entity_id, min(id), max(id),
        case when sum(octet_length(update)) <= ${INLINE_BYTES} then string_agg(translate(encode(update, 'base64'), chr(10), ''), ',' order by id) end))
      from logged group by entity_id`;
  }
  return also.length ? sql`with logged as (${logged})${alsoCtes} select 1` : logged;
}

function insertOne(db: Db) {
  return prepared(db, 'log_update', (db) =>
    db
      .insert(entityUpdates)
      .values({ entityId: sql.placeholder('entityId'), update: sql.placeholder('update'), userId: sql.placeholder('userId') })
      .prepare('log_update'),
  );
}

/**
 * Folds an entity's logged updates into its snapshot and deletes them, in one transaction.
 * The new snapshot merges the old one, every folded row and `doc` (the live state), so no
 * row's content can be lost even if `doc` has not seen it (another instance wrote it). The merge
 * runs on a worker thread.
 */
export async function compactEntity(db: Db, entityId: string, doc: Y.Doc | null): Promise<void> {
  await db.transaction(async (tx) => {
    const [snapshot] = await tx.select().from(entityDocs).where(eq(entityDocs.entityId, entityId));
    if (!snapshot) return;
    // The rows come as one value, each update after its length (4 bytes): the event loop reads
    // and hands over one buffer instead of mapping hundreds of rows (~3 ms for 500).
    const [log] = resultRows<{ through: string | null; packed: Uint8Array | null }>(
      await tx.execute(sql`select max(id)::text as through, string_agg(int4send(octet_length(update)) || update, ''::bytea order by id) as packed
        from entity_updates where entity_id = ${entityId} and id > ${snapshot.compactedThrough}`),
    );
    if (!log?.through || !log.packed) return;
    const throughId = Number(log.through);
    const live = doc ? [Y.encodeStateAsUpdate(doc)] : [];
    const { state, stateVector } = await mergeUpdatesInBackground([snapshot.state, ...live], log.packed);
    await tx.update(entityDocs).set({ state, stateVector, compactedThrough: throughId, updatedAt: new Date() }).where(eq(entityDocs.entityId, entityId));
    await tx.delete(entityUpdates).where(and(eq(entityUpdates.entityId, entityId), lte(entityUpdates.id, throughId)));
  });
}
