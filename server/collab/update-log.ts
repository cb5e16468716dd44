import { sql } from 'drizzle-orm';
import * as Y from 'yjs';
import { driverQuery, type Db } from '@/db/client';
import { entityUpdates } from '@/db/schema';
import { INLINE_BYTES, RELAY_CHANNEL } from './relay';
import { compactInBackground, mergeUpdatesInBackground } from './background-merge';
import { compactWith } from './compaction.mjs';
import { failureOf } from '@/db/errors';

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
  const run = driverQuery(db);

  async function write(batch: Pending[]): Promise<void> {
    try {
      const owners = new Map<string, { entityId: string; clientId: number; userId: string }>();
      const authors = new Map<string, { entityId: string; userId: string }>();
      for (const p of batch) {
        if (!p.userId) continue;
        // A client id belongs to the first user who sent it, within a batch as across them (on conflict do nothing).
        for (const clientId of p.clientIds) {
          const key = `${p.entityId}:${clientId}`;
          if (!recorded.has(key) && !owners.has(key)) owners.set(key, { entityId: p.entityId, clientId, userId: p.userId });
        }
        if (!recorded.has(`${p.entityId}:${p.userId}`)) authors.set(`${p.entityId}:${p.userId}`, { entityId: p.entityId, userId: p.userId });
      }
      const announcer = announceAs();
      const recordsNew = owners.size > 0 || authors.size > 0;
      if (!announcer && !recordsNew && batch.length === 1) {
        // The commonest write: one edit, its sender's client id already recorded.
        const [p] = batch;
        await run(LOG_ONE, [p.entityId, p.update, p.userId]);
      } else {
        // In key order: another instance's batch recording some of the same pairs takes their
        // locks in the same order, so the two wait for each other rather than deadlock.
        await run(LOG_BATCH, batchParams(batch, inKeyOrder(owners), inKeyOrder(authors), announcer));
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
    /**
     * Queues an update for the next group commit; resolves when it is in the database.
     * `clientIds`: the Yjs client ids it was made by, when the caller has decoded it already.
     */
    append(entityId: string, update: Uint8Array, userId: string | null, clientIds = [...Y.parseUpdateMeta(update).to.keys()]): Promise<void> {
      return new Promise<void>((done, failed) => {
        queue.push({ entityId, update, userId, clientIds, done, failed });
        if (!scheduled && !inFlight) {
          scheduled = true;
          // Written once the code that appended it is done, so the updates of one socket read
          // (several frames) go in one write. Deferred to setImmediate instead, each write
          // waited one more turn of the event loop (postgres.js defers its socket write to the
          // next setImmediate): durable p99 1.17 (1.02–1.28) times this (bench/RESULTS.md,
          // 2026-12-05 19:00–19:45 UTC).
          queueMicrotask(() => void flush());
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

const LOG_ONE = 'insert into entity_updates (entity_id, update, user_id) values ($1, $2, $3)';

/**
 * One statement, so one round trip, for a batch of updates, the same text for every batch
 * (prepared once): the updates as one value ($2) cut at the offsets and lengths given, with the
 * new client owners and authors (the authors of the entity's next revision) in CTEs, and with
 * an announcer ($11) a notification per entity on the relay channel (small updates, typing,
 * travel in it, so the others need not read them). A data-modifying CTE runs whether or not
 * anything reads it.
 */
const LOG_BATCH = `with batch as (
    select e, substring($2::bytea from o + 1 for l) as u, w, n from unnest($1::uuid[], $3::int[], $4::int[], $5::uuid[]) with ordinality as t(e, o, l, w, n)),
  logged as (insert into entity_updates (entity_id, update, user_id) select e, u, w from batch order by n returning entity_id, id, update),
  owners as (insert into entity_clients (entity_id, client_id, user_id) select * from unnest($6::uuid[], $7::bigint[], $8::uuid[]) on conflict do nothing),
  authors as (insert into pending_authors (entity_id, user_id) select * from unnest($9::uuid[], $10::uuid[]) on conflict do nothing)
  select pg_notify('${RELAY_CHANNEL}', concat_ws(' ', 'u', $11::text, entity_id, min(id), max(id),
    case when sum(octet_length(update)) <= ${INLINE_BYTES} then string_agg(translate(encode(update, 'base64'), chr(10), ''), ',' order by id) end))
  from logged where $11::text is not null group by entity_id`;

/** The values of `pairs`, ordered by their keys. */
const inKeyOrder = <T,>(pairs: Map<string, T>): T[] => [...pairs.keys()].sort().map((key) => pairs.get(key)!);

/** A PostgreSQL array literal of ids and numbers (uuids, user ids from the database: nothing to quote); null is NULL. */
const arrayLiteral = (values: (string | number | null)[]) => `{${values.map((v) => v ?? 'NULL').join(',')}}`;

function batchParams(
  batch: Pending[],
  owners: { entityId: string; clientId: number; userId: string }[],
  authors: { entityId: string; userId: string }[],
  announcer: string | null,
): unknown[] {
  const offsets: number[] = [];
  let offset = 0;
  for (const p of batch) {
    offsets.push(offset);
    offset += p.update.length;
  }
  return [
    arrayLiteral(batch.map((p) => p.entityId)),
    Buffer.concat(batch.map((p) => p.update)),
    arrayLiteral(offsets),
    arrayLiteral(batch.map((p) => p.update.length)),
    arrayLiteral(batch.map((p) => p.userId)),
    arrayLiteral(owners.map((o) => o.entityId)),
    arrayLiteral(owners.map((o) => o.clientId)),
    arrayLiteral(owners.map((o) => o.userId)),
    arrayLiteral(authors.map((a) => a.entityId)),
    arrayLiteral(authors.map((a) => a.userId)),
    announcer,
  ];
}

/**
 * Folds an entity's logged updates into its snapshot and deletes them. True when it wrote a new
 * snapshot. The new snapshot merges the old one and every folded row, and `unlogged` when given:
 * a live doc holding edits whose write to the log failed (nothing else has them; with it, a
 * snapshot is written even with nothing logged).
 *
 * The snapshot and the log are read, and merged (on the low-priority worker thread), with
 * nothing locked and no connection held: a merge takes milliseconds, and meanwhile the pool's
 * connections (PGlite's only one) stay free for everyone's edits. (On PostgreSQL, `databaseUrl`,
 * the worker reads and writes too, on a connection of its own: compaction.mjs.) Then one
 * statement writes the new snapshot, unless the snapshot changed since it was read (its row version, `xmin`: another
 * compaction went first, and starting from an older snapshot would drop what that one folded),
 * and only if it wrote it, deletes exactly the rows read, by id (a row that commits later,
 * whatever its id, stays in the log: ids are drawn before their inserts commit, so not in order).
 * Under a compaction that commits meanwhile, the snapshot's write waits for it and then finds
 * the version changed (PostgreSQL checks the condition again on the row's newest version), so
 * this one gives up; the rows it read are folded, or will be. Either way every row deleted is in
 * the snapshot written with it, atomically: one statement, one round trip.
 */
export async function compactEntity(db: Db, entityId: string, unlogged: Y.Doc | null, { merge = mergeUpdatesInBackground, databaseUrl }: CompactOptions = {}): Promise<boolean> {
  const state = unlogged ? Y.encodeStateAsUpdate(unlogged) : null;
  if (databaseUrl) return compactInBackground(databaseUrl, entityId, state);
  return compactWith(driverQuery(db), (updates, packed) => merge(updates, packed, { priority: 'low' }), entityId, state);
}

export type CompactOptions = {
  /** How the snapshot and the log are merged. @default mergeUpdatesInBackground (tests hold it up to race two compactions) */
  merge?: typeof mergeUpdatesInBackground;
  /**
   * The PostgreSQL database's URL: the whole compaction then runs on the low-priority worker
   * thread, on a connection of its own (`compactInBackground`); `merge` is not used. Without it
   * (PGlite, which lives on the main thread), only the merge does.
   */
  databaseUrl?: string;
};

/**
 * VACUUMs the update log after compactions, one at a time. A compaction deletes the rows it
 * folds, and until a VACUUM clears them the log's later inserts pay for them: in the
 * collaboration bench's durable edits, with them left to autovacuum, p99 1.20–1.70 times
 * y-websocket-server's in four runs; vacuumed after each compaction, 1.02 and 1.13; with no
 * compaction at all, 0.93 and 1.01 (bench/RESULTS.md, 2026-12-05 15:30–15:56). `request` after
 * a compaction: a VACUUM starts now, or once more when the one running ends (the compactions of
 * a crowd leaving many docs at once need two at most). It leaves the emptied pages in place
 * (`vacuum_truncate` off, migration 0008): giving them back would lock the log against every
 * editor's writes.
 */
export function createLogVacuum(db: Db) {
  let running: Promise<void> | null = null;
  let again = false;
  function run(): void {
    running = db
      .execute(sql`vacuum ${entityUpdates}`)
      .then(
        () => undefined,
        (err: Error) => console.error(`collab: could not vacuum the update log: ${failureOf(err)}`),
      )
      .finally(() => {
        running = null;
        if (!again) return;
        again = false;
        run();
      });
  }
  return {
    request(): void {
      if (running) again = true;
      else run();
    },
    /** Resolves once no VACUUM runs (the one running, and one asked for meanwhile, done). */
    async idle(): Promise<void> {
      while (running) await running;
    },
  };
}
