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

/** What a worker is asked: to merge updates, or to compact a doc's log on its own connection (compaction.mjs). */
type Job =
  | { kind: 'merge'; updates: Uint8Array[]; packed: Uint8Array | null }
  | { kind: 'compact'; databaseUrl: string; entityId: string; unlogged: Uint8Array | null }
  | { kind: 'disconnect' };
type Answer = { id: number; state?: Uint8Array; stateVector?: Uint8Array; written?: boolean; error?: string };
type Waiting = { answer: (answer: Answer) => void; fail: (err: Error) => void };

// Folding a doc's log into its snapshot merges hundreds of updates: 5–9 ms of CPU for a page
// (bench/RESULTS.md), which on the event loop would hold up every open doc's edits and every
// page being served. A worker thread per priority does it instead, started on first use (or by
// `startMergeWorker`) and started again if it dies; a merge it was doing then is done here
// rather than not at all, a compaction fails (it is tried again later).
function mergeThread(niceness: number) {
  let worker: Worker | null = null;
  const waiting = new Map<number, Waiting>();
  let nextId = 0;

  function start(): Worker {
    // Plain JavaScript needs none of this process's Node flags (some, like --input-type, would stop it).
    const started = new Worker(new URL('./merge-worker.mjs', import.meta.url), { execArgv: [], workerData: { niceness } });
    started.unref(); // idle, never what keeps the process running
    started.on('message', (answer: Answer) => {
      const job = waiting.get(answer.id);
      if (!job) return;
      waiting.delete(answer.id);
      if (waiting.size === 0) started.unref();
      job.answer(answer);
    });
    const fail = (err: Error) => {
      if (worker !== started) return;
      worker = null;
      console.error(`collab: the merge worker stopped (${err.message}); what it was merging is merged here, a compaction it was making fails (it starts again with the next)`);
      for (const [id, job] of waiting) {
        waiting.delete(id);
        job.fail(err);
      }
    };
    started.on('error', fail);
    started.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    return started;
  }

  function ask(job: Job, answer: Waiting['answer'], fail: Waiting['fail']): void {
    const id = nextId++;
    waiting.set(id, { answer, fail });
    worker ??= start();
    worker.ref(); // a job in flight (a compaction while the server shuts down) is waited for
    worker.postMessage({ id, ...job });
  }

  return {
    start(): void {
      worker ??= start();
    },
    merge(updates: Uint8Array[], packed: Uint8Array | null): Promise<MergedState> {
      return new Promise((resolve, reject) => {
        const merged = (answer: Answer) =>
          answer.error !== undefined ? reject(new Error(`could not merge the updates: ${answer.error}`)) : resolve({ state: answer.state!, stateVector: answer.stateVector! });
        const mergeHere = () => {
          try {
            resolve(mergeAll(updates, packed));
          } catch (err) {
            reject(new Error(`could not merge the updates: ${(err as Error).message}`));
          }
        };
        ask({ kind: 'merge', updates, packed }, merged, mergeHere);
      });
    },
    compact(databaseUrl: string, entityId: string, unlogged: Uint8Array | null): Promise<boolean> {
      return new Promise((resolve, reject) => {
        const compacted = (answer: Answer) => (answer.error !== undefined ? reject(new Error(answer.error)) : resolve(answer.written!));
        ask({ kind: 'compact', databaseUrl, entityId, unlogged }, compacted, (err) => reject(new Error(`the compaction's worker stopped (${err.message})`)));
      });
    },
    /** Ends the worker's database connection, if it has one (the server is closing). */
    async disconnect(): Promise<void> {
      if (!worker) return;
      await new Promise<void>((resolve) => ask({ kind: 'disconnect' }, () => resolve(), () => resolve()));
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

/**
 * Folds the entity's update log into its snapshot on the low-priority worker thread, which reads,
 * merges and writes on a PostgreSQL connection of its own (`compactWith` in compaction.mjs): the
 * snapshot travels to and from PostgreSQL as text (hex), for a page of 20,000 words 10–20 ms of
 * CPU that on the event loop would hold up every open doc's edits. True when it wrote a new
 * snapshot. `unlogged`: the state of a live doc holding edits the log lacks.
 */
export function compactInBackground(databaseUrl: string, entityId: string, unlogged: Uint8Array | null): Promise<boolean> {
  return threads.low.compact(databaseUrl, entityId, unlogged);
}

/** Ends the database connection compactions use (when the server closes, after its last compaction). */
export function endBackgroundCompactions(): Promise<void> {
  return threads.low.disconnect();
}
