// Merging Yjs updates, run on the worker thread of background-merge.ts (and there on the main
// thread if the worker dies). Plain JavaScript so that it loads the same way under tsx,
// `npm start` and the tests. A worker's Yjs is a copy of its own, which is safe: only bytes
// cross between threads, never Yjs objects.
import { isMainThread, parentPort } from 'node:worker_threads';
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

if (!isMainThread && parentPort) {
  const port = parentPort;
  port.on('message', ({ id, updates, packed }) => {
    try {
      const { state, stateVector } = mergeAll(updates, packed);
      port.postMessage({ id, state, stateVector }, [state.buffer, stateVector.buffer]);
    } catch (err) {
      port.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
    }
  });
}
