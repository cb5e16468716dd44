import { Worker } from 'node:worker_threads';
import * as Y from 'yjs';

/** A merged document state and its state vector. */
export type MergedState = { state: Uint8Array; stateVector: Uint8Array };

type Waiting = { resolve: (merged: MergedState) => void; reject: (err: Error) => void; updates: Uint8Array[] };

// Folding a doc's log into its snapshot merges hundreds of updates: 5–9 ms of CPU for a page
// (bench/RESULTS.md), which on the event loop would hold up every open doc's edits and every
// page being served. One worker thread does it instead, started on first use and restarted if
// it dies. Should the worker fail, the merge runs here rather than not at all.
let worker: Worker | null = null;
const waiting = new Map<number, Waiting>();
let nextId = 0;

function mergeHere(updates: Uint8Array[]): MergedState {
  const state = Y.mergeUpdates(updates);
  return { state, stateVector: Y.encodeStateVectorFromUpdate(state) };
}

function startWorker(): Worker {
  const started = new Worker(new URL('./merge-worker.mjs', import.meta.url));
  started.unref(); // never what keeps the process running
  started.on('message', ({ id, state, stateVector, error }: { id: number; state?: Uint8Array; stateVector?: Uint8Array; error?: string }) => {
    const job = waiting.get(id);
    if (!job) return;
    waiting.delete(id);
    if (error !== undefined) job.reject(new Error(`could not merge the updates: ${error}`));
    else job.resolve({ state: state!, stateVector: stateVector! });
  });
  const fail = (err: Error) => {
    if (worker !== started) return;
    worker = null;
    console.error(`collab: the merge worker stopped (${err.message}); merging on the main thread until it restarts`);
    for (const [id, job] of waiting) {
      waiting.delete(id);
      try {
        job.resolve(mergeHere(job.updates));
      } catch (mergeErr) {
        job.reject(mergeErr as Error);
      }
    }
  };
  started.on('error', fail);
  started.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  return started;
}

/** `Y.mergeUpdates(updates)` and its state vector, computed on a worker thread. */
export function mergeUpdatesInBackground(updates: Uint8Array[]): Promise<MergedState> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    waiting.set(id, { resolve, reject, updates });
    worker ??= startWorker();
    worker.postMessage({ id, updates });
  });
}
