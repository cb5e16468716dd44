import { Worker } from 'node:worker_threads';
import { mergeAll } from './merge-updates.mjs';

/** A merged document state and its state vector. */
export type MergedState = { state: Uint8Array; stateVector: Uint8Array };

/**
 * `normal` for a merge someone waits for (a page being opened); `low` for one nobody waits
 * for (a compaction), done only with the CPU time editors leave over.
 */
export type MergePriority = 'normal' | 'low';

/** The niceness of the `low` worker's thread: the lowest priority Linux has. */
const LOW_PRIORITY_NICENESS = 19;

type Job = { updates: Uint8Array[]; packed: Uint8Array | null };
type Waiting = Job & { resolve: (merged: MergedState) => void; reject: (err: Error) => void };

// Folding a doc's log into its snapshot merges hundreds of updates: 5–9 ms of CPU for a page
// (bench/RESULTS.md), which on the event loop would hold up every open doc's edits and every
// page being served. A worker thread per priority does it instead, started on first use (or by
// `startMergeWorker`) and started again if it dies; what it was doing then is merged here rather
// than not at all.
function mergeThread(niceness: number) {
  let worker: Worker | null = null;
  const waiting = new Map<number, Waiting>();
  let nextId = 0;

  function start(): Worker {
    // Plain JavaScript needs none of this process's Node flags (some, like --input-type, would stop it).
    const started = new Worker(new URL('./merge-worker.mjs', import.meta.url), { execArgv: [], workerData: { niceness } });
    started.unref(); // idle, never what keeps the process running
    started.on('message', ({ id, state, stateVector, error }: { id: number; state?: Uint8Array; stateVector?: Uint8Array; error?: string }) => {
      const job = waiting.get(id);
      if (!job) return;
      waiting.delete(id);
      if (waiting.size === 0) started.unref();
      if (error !== undefined) job.reject(new Error(`could not merge the updates: ${error}`));
      else job.resolve({ state: state!, stateVector: stateVector! });
    });
    const fail = (err: Error) => {
      if (worker !== started) return;
      worker = null;
      console.error(`collab: the merge worker stopped (${err.message}); merging on the main thread until it starts again`);
      for (const [id, job] of waiting) {
        waiting.delete(id);
        try {
          job.resolve(mergeAll(job.updates, job.packed));
        } catch (mergeErr) {
          job.reject(new Error(`could not merge the updates: ${(mergeErr as Error).message}`));
        }
      }
    };
    started.on('error', fail);
    started.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    return started;
  }

  return {
    start(): void {
      worker ??= start();
    },
    merge(updates: Uint8Array[], packed: Uint8Array | null): Promise<MergedState> {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { updates, packed, resolve, reject });
        worker ??= start();
        worker.ref(); // a merge in flight (a compaction while the server shuts down) is waited for
        worker.postMessage({ id, updates, packed });
      });
    },
  };
}

const threads: Record<MergePriority, ReturnType<typeof mergeThread>> = { normal: mergeThread(0), low: mergeThread(LOW_PRIORITY_NICENESS) };

/**
 * Starts the worker of `priority` now rather than on its first merge: starting one costs ~0.1 s
 * of CPU, better spent when the server starts than while people type.
 */
export function startMergeWorker(priority: MergePriority): void {
  threads[priority].start();
}

/**
 * `Y.mergeUpdates` of `updates` and of the updates in `packed` (each after its length in 4
 * bytes, big-endian), with the result's state vector, computed on a worker thread.
 */
export function mergeUpdatesInBackground(updates: Uint8Array[], packed: Uint8Array | null = null, { priority = 'normal' }: { priority?: MergePriority } = {}): Promise<MergedState> {
  return threads[priority].merge(updates, packed);
}
