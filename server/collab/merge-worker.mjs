// The worker thread of background-merge.ts: merges Yjs updates away from the event loop.
// Plain JavaScript so that it loads the same way under tsx, `npm start` and the tests. Its Yjs
// is a copy of its own, which is safe: only bytes cross between threads, never Yjs objects.
import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';

parentPort.on('message', ({ id, updates }) => {
  try {
    const state = Y.mergeUpdates(updates);
    const stateVector = Y.encodeStateVectorFromUpdate(state);
    parentPort.postMessage({ id, state, stateVector }, [state.buffer, stateVector.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
