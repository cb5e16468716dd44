// Folding a doc's update log into its snapshot: what update-log.ts's `compactEntity` runs on the
// main thread (PGlite, which lives there) and the low-priority worker of background-merge.ts
// runs with a connection of its own (PostgreSQL). Plain JavaScript so that the worker loads it
// the same way under tsx, `npm start` and the tests.
import { PACKED_UPDATES_SQL } from './merge-updates.mjs';

/** The snapshot, its row version (`xmin`), and the log's rows: their ids, the last id, and the updates packed in one value. */
const READ_SQL = `select d.xmin::text as version, d.state, log.ids, log.through, log.packed from entity_docs d,
  lateral (select array_agg(id order by id)::text as ids, max(id)::text as through, ${PACKED_UPDATES_SQL} as packed from entity_updates where entity_id = d.entity_id) log
  where d.entity_id = $1`;

/** The new snapshot, if the row version is still the one read, and only then the deletion of the rows read; whether it was written. */
const WRITE_SQL = `with snapshot as (
    update entity_docs set state = $2, state_vector = $3, compacted_through = greatest(compacted_through, $4::bigint), updated_at = now()
    where entity_id = $1 and xmin::text = $5 returning 1),
  folded as (delete from entity_updates where entity_id = $1 and id = any($6::bigint[]) and exists (select from snapshot) returning 1)
  select exists (select from snapshot) as written`;

/**
 * Folds an entity's logged updates into its snapshot and deletes them; true when it wrote a new
 * snapshot (see `compactEntity` in update-log.ts for why it is safe against compactions racing).
 * @param {(text: string, params: unknown[]) => Promise<Record<string, any>[]>} query runs a statement, resolves to its rows
 * @param {(updates: Uint8Array[], packed: Uint8Array | null) => Promise<{ state: Uint8Array, stateVector: Uint8Array }> | { state: Uint8Array, stateVector: Uint8Array }} merge
 * @param {string} entityId
 * @param {Uint8Array | null} unlogged the state of a live doc holding edits the log lacks, or null
 * @returns {Promise<boolean>}
 */
export async function compactWith(query, merge, entityId, unlogged) {
  const [read] = await query(READ_SQL, [entityId]);
  if (!read || (!read.packed && !unlogged)) return false;
  const merged = await merge(unlogged ? [read.state, unlogged] : [read.state], read.packed);
  const [result] = await query(WRITE_SQL, [entityId, merged.state, merged.stateVector, read.through ?? '0', read.version, read.ids ?? '{}']);
  return result.written === true;
}
