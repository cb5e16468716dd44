import type * as Y from 'yjs';
import type { Db } from '@/db/client';
import { isEntityType } from '@/components/model/entity-types';
import { readEntityDoc } from '@/server/docs/entity-doc';
import { projectEntity } from '@/server/docs/projection';
import { loadEntityAccess } from './doc-store';

/**
 * Refreshes an entity's Postgres projections from its live doc after persisted updates,
 * debounced per entity (`delayMs` after the last update), so pages and search follow edits.
 */
export function createProjector(db: Db, delayMs = 250) {
  const timers = new Map<string, { timer: NodeJS.Timeout; doc: Y.Doc }>();
  let chain: Promise<void> = Promise.resolve();

  function run(entityId: string, doc: Y.Doc): Promise<void> {
    timers.delete(entityId);
    const content = readEntityDoc(doc); // read now: the doc may be destroyed before the write runs
    chain = chain.then(async () => {
      try {
        const access = await loadEntityAccess(db, entityId);
        const type = access?.type;
        if (isEntityType(type)) await db.transaction((tx) => projectEntity(tx, entityId, type, content));
      } catch (err) {
        console.error(`collab: could not refresh the projection of ${entityId}: ${(err as Error).message}`);
      }
    });
    return chain;
  }

  return {
    schedule(entityId: string, doc: Y.Doc): void {
      const pending = timers.get(entityId);
      if (pending) clearTimeout(pending.timer);
      timers.set(entityId, { doc, timer: setTimeout(() => void run(entityId, doc), delayMs) });
    },
    /** Runs a pending refresh for the entity now (before its doc is unloaded). */
    flush(entityId: string, doc: Y.Doc): Promise<void> {
      const pending = timers.get(entityId);
      if (!pending) return chain;
      clearTimeout(pending.timer);
      return run(entityId, doc);
    },
  };
}
