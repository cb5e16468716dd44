// The worker thread of background-merge.ts. Its Yjs is a copy of its own, which is safe: only
// bytes cross between threads, never Yjs objects.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { mergeAll } from './merge-updates.mjs';

// A low-priority worker lowers its own thread's priority. On Linux a thread's priority is set
// through its own id (/proc/thread-self is /proc/<pid>/task/<thread id>); elsewhere it keeps the process's.
if (workerData?.niceness) {
  try {
    const [, threadId] = /\/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self')) ?? [];
    if (threadId) setPriority(Number(threadId), workerData.niceness);
  } catch {
    // not Linux, or not allowed: merges at the process's priority
  }
}

parentPort.on('message', ({ id, updates, packed }) => {
  try {
    const { state, stateVector } = mergeAll(updates, packed);
    parentPort.postMessage({ id, state, stateVector }, [state.buffer, stateVector.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
