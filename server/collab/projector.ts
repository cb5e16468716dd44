import type * as Y from 'yjs';
import type { Db } from '@/db/client';
import type { EntityType } from '@/components/model/entity-types';
import { readEntityDoc } from '@/server/docs/entity-doc';
import { planProjection, type ProjectionMemo } from '@/server/docs/projection';
import { failureOf } from '@/db/errors';

/**
 * Refreshes an entity's Postgres projections from its live doc after persisted content
 * edits, debounced per entity (`delayMs` after the last edit, and at most `maxWaitMs` after the
 * first edit not yet refreshed: with a class typing into one page at once, the edits never
 * leave a pause), so pages and search follow edits. Remembers what it last wrote for each open
 * entity and writes only the parts that changed (one UPDATE while someone types in the body);
 * refreshes run one at a time.
 */
export function createProjector(db: Db, delayMs = 250, maxWaitMs = 2000) {
  const timers = new Map<string, { timer: NodeJS.Timeout; since: number; type: EntityType; doc: Y.Doc }>();
  const written = new Map<string, ProjectionMemo>();
  let chain: Promise<void> = Promise.resolve();

  function run(entityId: string, type: EntityType, doc: Y.Doc): Promise<void> {
    timers.delete(entityId);
    const content = readEntityDoc(doc); // read now: the doc may be destroyed before the write runs
    chain = chain.then(async () => {
      try {
        const { memo, writes } = planProjection(entityId, type, content, written.get(entityId));
        if (writes.length === 1) await writes[0](db);
        else if (writes.length > 1) await db.transaction(async (tx) => { for (const write of writes) await write(tx); });
        written.set(entityId, memo);
      } catch (err) {
        written.delete(entityId); // next time, write everything
        console.error(`collab: could not refresh the projection of ${entityId}: ${failureOf(err)}`);
      }
    });
    return chain;
  }

  return {
    schedule(entityId: string, type: EntityType, doc: Y.Doc): void {
      const pending = timers.get(entityId);
      if (pending) clearTimeout(pending.timer);
      const since = pending?.since ?? Date.now();
      const wait = Math.max(0, Math.min(delayMs, since + maxWaitMs - Date.now()));
      timers.set(entityId, { type, doc, since, timer: setTimeout(() => void run(entityId, type, doc), wait) });
    },
    /** Runs a pending refresh for the entity now (before its doc is unloaded). */
    flush(entityId: string): Promise<void> {
      const pending = timers.get(entityId);
      if (!pending) return chain;
      clearTimeout(pending.timer);
      return run(entityId, pending.type, pending.doc);
    },
    /** The entity's doc is unloaded: the next refresh starts from nothing. */
    forget(entityId: string): void {
      written.delete(entityId);
    },
  };
}
