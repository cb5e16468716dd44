// The worker thread of background-merge.ts. Its Yjs is a copy of its own, which is safe: only
// bytes cross between threads, never Yjs objects.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { mergeAll } from './merge-updates.mjs';
import { compactWith } from './compaction.mjs';

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

/** The worker's PostgreSQL connection for compactions, opened at the first one; its URL. */
let database = null;
let databaseAt = null;

async function connection(url) {
  if (database && databaseAt !== url) await disconnect();
  if (!database) {
    const { default: postgres } = await import('postgres');
    database = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
    databaseAt = url;
  }
  return database;
}

async function disconnect() {
  const ending = database;
  database = null;
  await ending?.end({ timeout: 2 });
}

async function compact({ databaseUrl, entityId, unlogged }) {
  const sql = await connection(databaseUrl);
  return compactWith((text, params) => sql.unsafe(text, params, { prepare: true }), mergeAll, entityId, unlogged);
}

parentPort.on('message', async ({ id, ...job }) => {
  try {
    if (job.kind === 'merge') {
      const { state, stateVector } = mergeAll(job.updates, job.packed);
      parentPort.postMessage({ id, state, stateVector }, [state.buffer, stateVector.buffer]);
    } else if (job.kind === 'compact') {
      parentPort.postMessage({ id, written: await compact(job) });
    } else {
      await disconnect();
      parentPort.postMessage({ id });
    }
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
