// Merging Yjs updates: what the worker thread of background-merge.ts runs (merge-worker.mjs),
// and the main thread too if the worker dies. Plain JavaScript so that the worker loads it the
// same way under tsx, `npm start` and the tests.
import * as Y from 'yjs';

/**
 * Merges `updates` and the updates packed in `packed` (each after its length in 4 bytes,
 * big-endian: what `string_agg(int4send(octet_length(update)) || update, '')` makes of rows).
 * @param {Uint8Array[]} updates
 * @param {Uint8Array | null} packed
 * @returns {{ state: Uint8Array, stateVector: Uint8Array }}
 */
export function mergeAll(updates, packed) {
  const all = [...updates];
  if (packed) {
    const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
    for (let at = 0; at < packed.byteLength; ) {
      const length = at + 4 <= packed.byteLength ? view.getUint32(at) : Infinity;
      if (at + 4 + length > packed.byteLength) throw new Error('the packed updates are cut short');
      all.push(packed.subarray(at + 4, at + 4 + length));
      at += 4 + length;
    }
  }
  const state = Y.mergeUpdates(all);
  return { state, stateVector: Y.encodeStateVectorFromUpdate(state) };
}
