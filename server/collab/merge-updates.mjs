// Merging Yjs updates: what the worker thread of background-merge.ts runs (merge-worker.mjs),
// and the main thread too if the worker dies. Plain JavaScript so that the worker loads it the
// same way under tsx, `npm start` and the tests.
import * as Y from 'yjs';

/**
 * SQL that packs the `entity_updates` rows it aggregates into one value, in id order, each
 * update after its length in 4 bytes, big-endian: the driver hands over one buffer instead of a
 * row per update. `unpackUpdates` reads it.
 */
export const PACKED_UPDATES_SQL = "string_agg(int4send(octet_length(update)) || update, ''::bytea order by id)";

/**
 * The updates packed in `packed` (see PACKED_UPDATES_SQL). Views, not copies.
 * @param {Uint8Array} packed
 * @returns {Uint8Array[]}
 */
export function unpackUpdates(packed) {
  const updates = [];
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  for (let at = 0; at < packed.byteLength; ) {
    const length = at + 4 <= packed.byteLength ? view.getUint32(at) : Infinity;
    if (at + 4 + length > packed.byteLength) throw new Error('the packed updates are cut short');
    updates.push(packed.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return updates;
}

/**
 * Merges `updates` and the updates packed in `packed` (see `unpackUpdates`).
 * @param {Uint8Array[]} updates
 * @param {Uint8Array | null} packed
 * @returns {{ state: Uint8Array, stateVector: Uint8Array }}
 */
export function mergeAll(updates, packed) {
  const state = Y.mergeUpdates(packed ? [...updates, ...unpackUpdates(packed)] : updates);
  return { state, stateVector: Y.encodeStateVectorFromUpdate(state) };
}
