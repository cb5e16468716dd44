// The worker thread of background-merge.ts. Its Yjs is a copy of its own, which is safe: only
// bytes cross between threads, never Yjs objects.
import { parentPort } from 'node:worker_threads';
import { mergeAll } from './merge-updates.mjs';

parentPort.on('message', ({ id, updates, packed }) => {
  try {
    const { state, stateVector } = mergeAll(updates, packed);
    parentPort.postMessage({ id, state, stateVector }, [state.buffer, stateVector.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
