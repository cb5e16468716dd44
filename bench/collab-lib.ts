// Clients, servers under test and small utilities shared by the collaboration benchmarks
// (collab.ts: every scenario, target by target; collab-interleaved.ts: the judged rows, with
// the targets taking turns in short blocks).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { basename } from 'node:path';
import { cpus, totalmem } from 'node:os';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { openBareWebSocket } from './bare-websocket';
import postgres from 'postgres';
import { startApp, type AppServer } from '../tests/setup/app-server';
import { freePort } from '../tests/setup/ports';
import type { PostgresServer } from '../tests/setup/postgres-server';
import { CLK_TCK, heapProbeArgs, percentile, keepServerLogOnExit, sampleProcess, serverNodeArgs, signUpWithToken } from './lib';
import { createEntityDoc } from '../server/docs/create-entity-doc';

/**
 * Readers (every client that only receives): `raw` (default) speak the sync protocol on a bare
 * TCP socket (bare-websocket.ts, ~6 µs of the bench process's CPU per delivery against 8–12 µs
 * through the `ws` library, which they used until 2026-12-05) and find each edit's marker in
 * the bytes, so the latency is the server's; `provider` makes them real providers with a Y.Doc
 * each, as before (at 100 readers the bench process then needs ~4 ms of CPU per edit, and the
 * k-th reader waits for the k−1 decoded before it). Writers are always real providers.
 */
const READERS = (process.env.BENCH_READERS ?? 'raw') as 'raw' | 'provider';
if (READERS !== 'raw' && READERS !== 'provider') throw new Error('BENCH_READERS: raw or provider');
const CONNECT_CONCURRENCY = 64;
export const TIMEOUT_MS = 60_000;

// ---------------------------------------------------------------------------------------------
// small utilities

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A full GC of the bench's own process, before a timed stretch. The bench's clients leave
 * garbage (connecting 500 readers, or 1,500 many-docs clients), and a GC of it during a stretch
 * stops the edits and the readers for whichever server is running: a major GC once took 210 ms
 * in a block of the interleaved bench. In the one-stretch bench, a scavenge of the readers'
 * connect-time objects took 15.6 ms, 0.9 s into a 10-reader stretch: its 4 slowest edits (13–18 ms).
 */
export const collectOwnGarbage: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();
export const log = (line: string) => console.error(`[bench] ${line}`);

/** Closes of clients' connections reported so far (see `closeCounter`). */
let closesReported = 0;

/**
 * Counts a client's closed connections (a reconnect each, in the report); one that closes before
 * the bench lets the client go (`release`) is logged with its code and reason, the first 20 in a process.
 */
function closeCounter(url: string) {
  let closes = 0;
  let released = false;
  return {
    closed(code?: number, reason?: string): void {
      closes++;
      if (!released && ++closesReported <= 20) log(`a client's connection closed (${code ?? 'no code'}${reason ? ` ${reason}` : ''}): ${url.replace(/token=[^&]*/, 'token=…')}`);
    },
    release(): void {
      released = true;
    },
    count: () => closes,
  };
}
type CloseCounter = ReturnType<typeof closeCounter>;
/** CLOCK_MONOTONIC in µs: the clock of a V8 CPU profile's timestamps, to cut a profile (BENCH_PROFILE_DIR) to one phase. */
export const monotonicUs = () => process.hrtime.bigint() / 1000n;

export function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN, n: sorted.length };
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string, pollMs = 5): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(pollMs);
  }
}

/** Calls `fn(i)` for i = 0..n-1, the i-th at `start + i * intervalMs` (late ones are sent as soon as the loop gets the CPU). */
export async function paced(n: number, intervalMs: number, fn: (i: number) => void): Promise<void> {
  const start = performance.now();
  let sent = 0;
  while (sent < n) {
    const due = Math.min(n, Math.floor((performance.now() - start) / intervalMs) + 1);
    while (sent < due) fn(sent++);
    if (sent < n) await sleep(Math.max(0, start + sent * intervalMs - performance.now()));
  }
}

// ---------------------------------------------------------------------------------------------
// server process sampling (/proc)

/** CPU time (ms) the whole machine has spent busy (every process, every core: user, nice, system, irq, softirq, steal). */
function machineBusyMs(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = ticks.map(Number);
  return ((user + nice + system + irq + softirq + steal) * 1000) / CLK_TCK;
}

/**
 * Waits until, over 400 ms, the server uses less than 5 % of a core (its queued writes,
 * compactions… are done) and every process together less than 15 % of a core: PostgreSQL's
 * background work after a scenario (autovacuum of a table another server just filled,
 * checkpoints) would otherwise fall into the next scenario, or into the next server's.
 */
export async function waitIdle(pid: number, timeoutMs = 20_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = sampleProcess(pid).cpuMs;
  let lastMachine = machineBusyMs();
  while (performance.now() < deadline) {
    await sleep(400);
    const now = sampleProcess(pid).cpuMs;
    const machine = machineBusyMs();
    if (now - last <= 20 && machine - lastMachine <= 60) return;
    last = now;
    lastMachine = machine;
  }
  log(`pid ${pid} or the machine still busy after ${timeoutMs} ms; going on`);
}

export function openFileLimit(): number {
  const m = /Max open files\s+(\d+|unlimited)/.exec(readFileSync('/proc/self/limits', 'utf8'));
  return !m || m[1] === 'unlimited' ? Infinity : Number(m[1]);
}

// ---------------------------------------------------------------------------------------------
// clients

export type Client = {
  doc?: Y.Doc;
  synced: Promise<void>;
  closes: () => number;
  destroy: () => void;
  /**
   * Tells the client's provider that its server is not silent, only paused (collab-interleaved.ts
   * stops each server between its blocks): a y-websocket provider that hears nothing for 30 s
   * closes its connection and reconnects, and with three servers taking turns a server can be
   * paused longer than that.
   */
  heardNow?: () => void;
};
/** Called with an edit's number and the time a client received it. */
export type EditSink = (k: number, receivedAt: number) => void;

// Every edit of the run has its own number k; the writer pushes the string `#k;` into the doc's
// `bench` array and notes when. A receiver finds `#k;` in what it gets (in its doc, or in the bytes).
export const sentAt: number[] = [];
export const sentMonotonicUs: number[] = [];
export const pushUs: number[] = [];
let editCount = 0;
const MARKER = /#(\d+);/g;

export function edit(client: Client): number {
  const k = editCount++;
  sentAt[k] = performance.now();
  sentMonotonicUs[k] = Number(process.hrtime.bigint() / 1000n);
  client.doc!.getArray<string>('bench').push([`#${k};`]);
  pushUs[k] = Number(process.hrtime.bigint() / 1000n) - sentMonotonicUs[k];
  return k;
}

/** Awareness with no local state: clients are here for document updates only (no presence storm of N² messages). */
function silentAwareness(doc: Y.Doc): Awareness {
  const awareness = new Awareness(doc);
  awareness.setLocalState(null);
  return awareness;
}

/** Reports every bench edit that reaches `doc` (a real provider's doc) to `onEdit`. */
function observeEdits(doc: Y.Doc, onEdit: EditSink): void {
  doc.getArray<string>('bench').observe((event) => {
    const now = performance.now();
    for (const d of event.changes.delta) for (const item of (d.insert ?? []) as string[]) for (const m of item.matchAll(MARKER)) onEdit(Number(m[1]), now);
  });
}

/**
 * `resyncMs`: the provider asks the server for its state this often. A y-websocket provider that
 * hears nothing for 30 s reconnects, and a writer hears nothing (the server does not echo its
 * updates): a writer that stays connected longer than that needs the answers.
 */
export type ConnectOptions = { resyncMs?: number };

/** A y-websocket client (y-websocket 3.x `WebsocketProvider`), for ours and @y/websocket-server. */
function yWebsocketClient(serverUrl: string, room: string, params: Record<string, string>, onEdit?: EditSink, { resyncMs = -1 }: ConnectOptions = {}): Client {
  const doc = new Y.Doc();
  const awareness = silentAwareness(doc);
  if (onEdit) observeEdits(doc, onEdit);
  const provider = new WebsocketProvider(serverUrl, room, doc, { WebSocketPolyfill: WebSocket as never, disableBc: true, params, awareness, maxBackoffTime: 1000, resyncInterval: resyncMs });
  const closes = closeCounter(`${serverUrl}/${room}`);
  provider.on('connection-close', (event: { code?: number; reason?: string } | null) => closes.closed(event?.code, event?.reason));
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    provider.on('sync', (s: boolean) => s && resolve());
  }).then(() => hasContent(doc));
  return { ...asClient(doc, awareness, synced, closes, () => provider.destroy()), heardNow: () => (provider.wsLastMessageReceived = Date.now()) };
}

/**
 * Resolves once the doc holds the stored content (every bench doc has a title). A server that
 * answers before its doc is loaded from the database (y-websocket-server does: its first sync
 * is of an empty doc, the content follows as an update) is not "synced" before then: the
 * user sees the page only when its content arrives.
 */
function hasContent(doc: Y.Doc): Promise<void> {
  const fields = doc.getMap('fields');
  if (fields.has('title')) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const check = () => {
      if (!fields.has('title')) return;
      fields.unobserve(check);
      resolve();
    };
    fields.observe(check);
  });
}

/** The common shape of a benchmark client, whatever provider drives it. */
function asClient(doc: Y.Doc, awareness: { destroy(): void }, synced: Promise<void>, closes: CloseCounter, destroyProvider: () => void): Client {
  return {
    doc,
    synced,
    closes: closes.count,
    destroy: () => {
      closes.release();
      destroyProvider();
      awareness.destroy();
      doc.destroy();
    },
  };
}

/** A Hocuspocus client (`@hocuspocus/provider`, one socket per provider). */
function hocuspocusClient(serverUrl: string, name: string, onEdit?: EditSink): Client {
  const doc = new Y.Doc();
  const awareness = silentAwareness(doc);
  if (onEdit) observeEdits(doc, onEdit);
  const closes = closeCounter(`${serverUrl}/${name}`);
  const provider = new HocuspocusProvider({
    url: serverUrl,
    name,
    document: doc,
    awareness,
    WebSocketPolyfill: WebSocket,
    // No awareness traffic: do not let the provider's "no message for 30 s" check reconnect.
    messageReconnectTimeout: 600_000,
    onClose: ({ event }: { event?: { code?: number; reason?: string } }) => closes.closed(event?.code, event?.reason),
  } as never);
  const synced = new Promise<void>((resolve) => {
    if (provider.isSynced) resolve();
    provider.on('synced', () => resolve());
  }).then(() => hasContent(doc));
  return asClient(doc, awareness, synced, closes, () => provider.destroy());
}

/** Bytes every bench doc's content holds (its title, "Bench event …"). */
const CONTENT_MARK = Buffer.from('Bench event', 'latin1');
const SYNC = 0; // message type of the sync protocol in both y-websocket and Hocuspocus
const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;
const HOCUSPOCUS_SYNC_REPLY = 4;
const HOCUSPOCUS_AUTH = 2;
/**
 * What a raw reader sends in its sync steps: an empty doc's state vector and update, made once
 * (a Y.Doc per reader draws a random guid and client id: 0.2 ms of the bench process's CPU each).
 */
const EMPTY_DOC = new Y.Doc();
const emptyStateVector = Y.encodeStateVector(EMPTY_DOC);
const emptyUpdate = Y.encodeStateAsUpdate(EMPTY_DOC);

/**
 * A reader on a bare socket: sends sync step 1 with an empty state vector, answers the server's
 * step 1 with an empty step 2, is synced once it has the server's step 2 and the doc's content
 * (its title's bytes, in step 2 or in an update after it), and reports each `#k;` marker in
 * later updates without decoding them into a doc. `prefix` starts every message (Hocuspocus: the
 * document name); `hello` goes first (Hocuspocus: the auth message it waits for).
 */
function rawReader(url: string, onEdit: EditSink, prefix: Uint8Array = new Uint8Array(), hello: Uint8Array[] = []): Client {
  const message = (...parts: ((e: encoding.Encoder) => void)[]) => {
    const e = encoding.createEncoder();
    encoding.writeUint8Array(e, prefix);
    for (const part of parts) part(e);
    return encoding.toUint8Array(e);
  };
  const closes = closeCounter(url);
  let synced!: () => void;
  const done = new Promise<void>((resolve) => (synced = resolve));
  let gotStep2 = false;
  let gotContent = false;
  const ws = openBareWebSocket(url, {
    open() {
      for (const m of hello) ws.send(m);
      ws.send(message((e) => encoding.writeVarUint(e, SYNC), (e) => encoding.writeVarUint(e, SYNC_STEP1), (e) => encoding.writeVarUint8Array(e, emptyStateVector)));
    },
    message(data, receivedAt) {
      const decoder = decoding.createDecoder(data);
      if (prefix.length) decoding.readVarString(decoder);
      const type = decoding.readVarUint(decoder);
      if (type !== SYNC && !(prefix.length && type === HOCUSPOCUS_SYNC_REPLY)) return;
      const step = decoding.readVarUint(decoder);
      if (step === SYNC_STEP1) return void ws.send(message((e) => encoding.writeVarUint(e, SYNC), (e) => encoding.writeVarUint(e, SYNC_STEP2), (e) => encoding.writeVarUint8Array(e, emptyUpdate)));
      if (step === SYNC_STEP2) gotStep2 = true;
      else if (step === SYNC_UPDATE) for (const m of data.toString('latin1').matchAll(MARKER)) onEdit(Number(m[1]), receivedAt);
      if (!gotContent && data.includes(CONTENT_MARK)) gotContent = true;
      if (gotStep2 && gotContent) synced();
    },
    close: (code, reason) => closes.closed(code, reason),
  });
  return {
    synced: done,
    closes: closes.count,
    destroy: () => {
      closes.release();
      ws.terminate();
    },
  };
}

/** A raw reader for Hocuspocus: every message carries the document name; an (empty) auth token comes first. */
function hocuspocusRawReader(serverUrl: string, name: string, onEdit: EditSink): Client {
  const prefix = encoding.createEncoder();
  encoding.writeVarString(prefix, name);
  const auth = encoding.createEncoder();
  encoding.writeVarString(auth, name);
  encoding.writeVarUint(auth, HOCUSPOCUS_AUTH);
  encoding.writeVarUint(auth, 0); // token
  encoding.writeVarString(auth, '');
  return rawReader(serverUrl, onEdit, encoding.toUint8Array(prefix), [encoding.toUint8Array(auth)]);
}

/**
 * BENCH_PG_STATS=1: PostgreSQL counts every statement's calls, execution and planning time (pg_stat_statements);
 * `statementStats` then reports them per database, that is per server.
 */
const PG_STATS = Boolean(process.env.BENCH_PG_STATS);

/** PostgreSQL settings the collaboration benches start their server with: commit times for `committedAt`. */
export const BENCH_POSTGRES_SETTINGS = ['track_commit_timestamp=on', ...(PG_STATS ? ['shared_preload_libraries=pg_stat_statements', 'pg_stat_statements.track=all', 'pg_stat_statements.track_planning=on'] : [])];

/**
 * With BENCH_PG_STATS: `reset` starts the count over (after the warm-up); `report` gives each
 * server's (database's) statements that took the most time since (execution and planning), with
 * their calls, mean execution time and plans, and its totals over every statement.
 * Without it both do nothing.
 */
export function statementStats(pg: PostgresServer, top = 12) {
  async function query<T>(run: (sql: postgres.Sql) => Promise<T>): Promise<T> {
    const sql = postgres(pg.url('postgres'), { max: 1, onnotice: () => {} });
    try {
      await sql`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`;
      return await run(sql);
    } finally {
      await sql.end({ timeout: 2 });
    }
  }
  return {
    async reset(): Promise<void> {
      if (PG_STATS) await query((sql) => sql`SELECT pg_stat_statements_reset()`);
    },
    async report(): Promise<string> {
      if (!PG_STATS) return '';
      const rows = await query(
        (sql) => sql`
          SELECT * FROM (
            SELECT d.datname AS db, s.calls::int AS calls, s.total_exec_time AS ms, s.total_plan_time AS plan, s.plans::int AS plans,
              left(regexp_replace(s.query, '[[:space:]]+', ' ', 'g'), 110) AS statement,
              row_number() OVER (PARTITION BY d.datname ORDER BY s.total_exec_time + s.total_plan_time DESC) AS rank,
              sum(s.calls) OVER (PARTITION BY d.datname)::int AS all_calls, sum(s.total_exec_time) OVER (PARTITION BY d.datname) AS all_ms,
              sum(s.plans) OVER (PARTITION BY d.datname)::int AS all_plans, sum(s.total_plan_time) OVER (PARTITION BY d.datname) AS all_plan
            FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname LIKE 'collab%') ranked
          WHERE rank <= ${top} ORDER BY db, rank`,
      );
      const line = (db: string, [calls, ms, plans, plan]: number[], statement: string) =>
        `| ${db} | ${calls} | ${ms.toFixed(0)} ms | ${((1000 * ms) / calls).toFixed(0)} µs | ${plans} | ${plan.toFixed(0)} ms | ${statement} |`;
      const lines = rows.flatMap((r, i) => [
        line(r.db, [r.calls, r.ms, r.plans, r.plan], `\`${(r.statement as string).replaceAll('|', '¦')}\``),
        ...(rows[i + 1]?.db === r.db ? [] : [line(r.db, [r.all_calls, r.all_ms, r.all_plans, r.all_plan], '**every statement**')]),
      ]);
      return [
        'PostgreSQL statements by execution and planning time (pg_stat_statements, after the warm-up):',
        '',
        '| database | calls | execution | mean | plans | planning | statement |',
        '|---|---|---|---|---|---|---|',
        ...lines,
      ].join('\n');
    },
  };
}

/**
 * Edits whose commit time PostgreSQL could not give (`committedAt`), timed to when the poll saw
 * them instead; 0 unless a compaction folded the edit's row before it was looked up.
 */
export let durableTimedByPoll = 0;

/**
 * BENCH_DURABLE_SETTLE_MS (default 10): how long the bench keeps still after a durable edit's
 * push before it asks PostgreSQL whether the edit is there. The edit's latency is PostgreSQL's
 * commit time, whenever it is asked; asking at once (0, as before 2026-12-06 20:40) puts the
 * bench's process and its probe's PostgreSQL backend on the 2 CPUs in the very moment the server
 * is woken by the edit, and a scheduler trace showed the server's slowest reads waiting behind
 * them (bench/RESULTS.md, "Runs of 2026-12-06 20:16–20:57 UTC").
 */
const DURABLE_SETTLE_MS = Number(process.env.BENCH_DURABLE_SETTLE_MS ?? 10);

/**
 * `client` makes `n` edits of `doc` one at a time; each is timed from the push to its commit in
 * PostgreSQL. `target.persisted`, polled every 1 ms from DURABLE_SETTLE_MS after the push, tells
 * when the edit is there; its commit time then comes from PostgreSQL (`committedAt`). Timed to
 * the poll instead, the latency would carry half a poll interval and the probe's own query, which
 * costs more on one server's tables than another's. `sends`, when given, gets each edit's push
 * time (`performance.now()`).
 */
export async function durableEdits(target: Target, client: Client, doc: string, n: number, sends?: number[], pushes?: number[]): Promise<number[]> {
  const latencies: number[] = [];
  const base = await target.persisted([doc]);
  for (let i = 0; i < n; i++) {
    const sent = performance.now();
    sends?.push(sent);
    const k = edit(client);
    pushes?.push(pushUs[k]);
    if (DURABLE_SETTLE_MS > 0) await sleep(DURABLE_SETTLE_MS);
    for (;;) {
      const polled = performance.now();
      if ((await target.persisted([doc])) >= base + i + 1) break;
      if (performance.now() - sent > 10_000) throw new Error(`edit ${i} not durable after 10 s`);
      const wait = 1 - (performance.now() - polled);
      if (wait > 0) await sleep(wait);
    }
    const seen = performance.now();
    // The latest commit of the doc's rows is this edit's, unless its row was folded away: then it is older than the edit.
    const committed = await target.committedAt(doc);
    if (committed !== null && committed > sent) latencies.push(committed - sent);
    else {
      durableTimedByPoll++;
      latencies.push(seen - sent);
    }
    await sleep(5);
  }
  return latencies;
}

/**
 * Durable edits for an edit log: each one's send time (ms since the epoch), its latency (ms) and,
 * with `pushes` (`durableEdits`), the µs the bench's client took from the edit to handing it to
 * its socket (a part of the latency that is the bench's own), from `durableEdits` and the `sends` it filled.
 */
export function timedDurable(latencies: number[], sends: number[], pushes?: number[]): number[][] {
  return latencies.map((ms, i) => [Number((performance.timeOrigin + sends[i]).toFixed(3)), Number(ms.toFixed(3)), ...(pushes ? [pushes[i]] : [])]);
}

/**
 * How far PostgreSQL's clock is ahead of this process's `performance.now()`, in ms: the
 * server's clock read in a query, against the middle of the query's round trip (the shortest
 * of three; ±0.05 ms here).
 */
async function postgresClockOffset(sql: postgres.Sql): Promise<number> {
  let best = { roundTrip: Infinity, offset: 0 };
  for (let i = 0; i < 3; i++) {
    const before = performance.now();
    const [row] = await sql`SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now`;
    const after = performance.now();
    if (after - before < best.roundTrip) best = { roundTrip: after - before, offset: (row.now as number) - (before + after) / 2 };
  }
  return best.offset;
}

/**
 * When the latest write of `doc`'s rows in `table` (`column` naming the doc) committed
 * (PostgreSQL's commit timestamp), on this process's clock; null when there is none.
 */
async function latestCommitHere(sql: postgres.Sql, table: string, column: string, doc: string): Promise<number | null> {
  const [row] = await sql`SELECT (extract(epoch FROM max(pg_xact_commit_timestamp(xmin))) * 1000)::float8 AS at FROM ${sql(table)} WHERE ${sql(column)} = ${doc}`;
  if (row?.at == null) return null;
  return (row.at as number) - (await postgresClockOffset(sql));
}

/** Opens one client per entry of `docs` with `open`, at most CONNECT_CONCURRENCY syncing at once; resolves when all are synced. */
export async function connectMany(docs: string[], open: (doc: string, i: number) => Client): Promise<Client[]> {
  const clients: Client[] = new Array(docs.length);
  let next = 0;
  let failure: Error | null = null;
  async function lane() {
    while (next < docs.length && !failure) {
      const i = next++;
      const client = open(docs[i], i);
      clients[i] = client;
      const timeout = sleep(TIMEOUT_MS).then(() => 'timeout' as const);
      if ((await Promise.race([client.synced, timeout])) === 'timeout') {
        failure = new Error(
          `client ${i} of ${docs.length} did not sync in ${TIMEOUT_MS / 1000} s (open-file limit here: ${openFileLimit()}; ` +
            `if sockets fail, raise it with \`ulimit -n 8192\` for this shell and the servers)`,
        );
      }
    }
  }
  await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, lane));
  if (failure) {
    for (const c of clients) c?.destroy();
    throw failure;
  }
  return clients;
}

/** The many-docs scenario: this many clients per doc (the first a writer, the others readers), this many edits per doc, this fast overall. */
export const MANY_CLIENTS = 3;
export const MANY_EDITS = 5;
export const MANY_EDITS_PER_SECOND = 2000;

/** MANY_CLIENTS clients on each of `docs` connect and sync, the readers reporting edits to `record`; resolves when all are synced. */
export function connectManyDocs(target: Pick<Target, 'connect' | 'reader'>, docs: string[], record: EditSink): Promise<Client[]> {
  return connectMany(
    docs.flatMap((d) => Array(MANY_CLIENTS).fill(d)),
    (d, i) => (i % MANY_CLIENTS === 0 ? target.connect(d) : target.reader(d, record)),
  );
}

/** MANY_EDITS edits per doc from its writer, the docs in turn, MANY_EDITS_PER_SECOND overall; resolves to how many deliveries the readers should get. */
export async function editManyDocs(clients: Client[]): Promise<number> {
  const docCount = clients.length / MANY_CLIENTS;
  const total = docCount * MANY_EDITS;
  await paced(total, 1000 / MANY_EDITS_PER_SECOND, (k) => edit(clients[(k % docCount) * MANY_CLIENTS]));
  return total * (MANY_CLIENTS - 1);
}

// ---------------------------------------------------------------------------------------------
// targets

/** Where and how a server's clients connect: plain data, so that another process can open them too. */
export type ClientSpec = { protocol: 'y-websocket'; url: string; token?: string } | { protocol: 'hocuspocus'; url: string };

/** A target's writer (`connect`) and reader clients, from its spec. */
export function clientsFor(spec: ClientSpec): Pick<Target, 'clients' | 'connect' | 'reader'> {
  if (spec.protocol === 'hocuspocus') {
    return {
      clients: spec,
      connect: (doc, onEdit) => hocuspocusClient(spec.url, doc, onEdit),
      reader: (doc, onEdit) => (READERS === 'raw' ? hocuspocusRawReader(spec.url, doc, onEdit) : hocuspocusClient(spec.url, doc, onEdit)),
    };
  }
  const params: Record<string, string> = spec.token ? { token: spec.token } : {};
  const query = spec.token ? `?token=${spec.token}` : '';
  return {
    clients: spec,
    connect: (doc, onEdit, options) => yWebsocketClient(spec.url, doc, params, onEdit, options),
    reader: (doc, onEdit) => (READERS === 'raw' ? rawReader(`${spec.url}/${doc}${query}`, onEdit) : yWebsocketClient(spec.url, doc, params, onEdit)),
  };
}

export type Target = {
  name: string;
  pid: number;
  /** Names of `n` fresh documents (ours: entity ids made through the API). */
  docs: (n: number) => Promise<string[]>;
  /** Where its clients connect (what `connect` and `reader` use), for a process of the bench's own. */
  clients: ClientSpec;
  /** A real provider (writers; readers too with BENCH_READERS=provider). */
  connect: (doc: string, onEdit?: EditSink, options?: ConnectOptions) => Client;
  /** A client that only receives: a raw reader, or a real provider with BENCH_READERS=provider. */
  reader: (doc: string, onEdit: EditSink) => Client;
  /** How many bench edits of `docs` are durable in this server's database right now. */
  persisted: (docs: string[]) => Promise<number>;
  /** What `persisted` looks at, for the report. */
  durableRule: string;
  /**
   * When the doc's latest stored write committed (PostgreSQL's commit timestamp), on this
   * process's `performance.now()` clock; null when nothing of the doc is stored.
   */
  committedAt: (doc: string) => Promise<number | null>;
  /** Loads the doc's entity page as a signed-in reader (rendered by Next, never cached); only our server serves pages. */
  page?: (doc: string) => Promise<void>;
  stop: () => Promise<void>;
};

/** Our server may start on one database several times (BENCH_REPEAT): each start signs up its own user. */
let oursStarted = 0;

/**
 * Our server on PostgreSQL, its collaboration server in a process of its own (the default on
 * PostgreSQL, COLLAB_PROCESS=1; also for a checkout) or, with `inProcess`, in the web server's
 * process (COLLAB_PROCESS=0, as always with the embedded database).
 */
export async function startOurs(databaseUrl: string, { inProcess = false, checkout }: { inProcess?: boolean; checkout?: string } = {}): Promise<Target> {
  const app: AppServer = await startApp({ DATABASE_URL: databaseUrl, SEED: '0', SIGNUP_LIMIT: '100000', COLLAB_PROCESS: inProcess ? '0' : '1' }, {
    timeoutMs: 300_000,
    // BENCH_OURS_NODE_ARGS: flags for our server from this checkout only (not `ours@<checkout>`), to measure a flag against the same code without it.
    nodeArgs: [...heapProbeArgs(), ...serverNodeArgs(), ...(!checkout && process.env.BENCH_OURS_NODE_ARGS ? process.env.BENCH_OURS_NODE_ARGS.split(' ') : [])],
    cwd: checkout,
  });
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const keepLog = keepServerLogOnExit(() => app.output(), checkout ? `ours@${basename(checkout)}` : undefined);
  try {
    const { cookie, token } = await signUpWithToken(app.url, `bencher${++oursStarted}`, 'Bench-pass-2718281828!');
    let made = 0;
    const slugs = new Map<string, string>();
    const foldedEdits = new Map<string, { through: string; edits: number }>();
    const lastCount = new Map<string, { n: number; first: string | null; folded: number }>();
    const wsUrl = `${app.url.replace(/^http/, 'ws')}/collab`;
    return {
      name: checkout ? `ours@${checkout}` : inProcess ? 'ours, in process' : 'ours',
      pid: app.child.pid!,
      async page(doc) {
        const res = await fetch(`${app.url}/wiki/${slugs.get(doc)}`, { headers: { cookie } });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`page: ${res.status}`);
      },
      async docs(n) {
        const ids: string[] = new Array(n);
        let next = 0;
        async function lane() {
          while (next < n) {
            const i = next++;
            const res = await fetch(`${app.url}/api/entities`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ type: 'event', title: `Bench event ${made++}` }),
            });
            if (res.status !== 201) throw new Error(`creating an entity failed: ${res.status} ${await res.text()}`);
            const { id, slug } = (await res.json()) as { id: string; slug: string };
            ids[i] = id;
            slugs.set(id, slug);
          }
        }
        await Promise.all(Array.from({ length: 8 }, lane));
        return ids;
      },
      ...clientsFor({ protocol: 'y-websocket', url: wsUrl, token }),
      async persisted(docs) {
        // One doc, as the durable run polls it every 1 ms: a count in the log table alone, the
        // probe y-websocket-server's table gets, while the log's oldest row and its count say
        // nothing was folded into the snapshot since the last full count (a compaction deletes
        // every row it folds, the oldest among them).
        const one = docs.length === 1 ? docs[0] : null;
        const quick = one ? (await sql`SELECT count(*)::int AS n, min(id)::text AS first FROM entity_updates WHERE entity_id = ANY(${docs}::uuid[])`)[0] : null;
        const known = one ? lastCount.get(one) : undefined;
        if (quick && known && quick.first !== null && quick.first === known.first && quick.n >= known.n) return (quick.n as number) + known.folded;
        // Rows left in the log, plus the bench edits already folded into the snapshot (every 500
        // updates the log is folded into `entity_docs.state` and exactly those rows deleted).
        const rows = await sql`
          SELECT d.entity_id AS id, d.compacted_through::text AS through,
            (SELECT count(*)::int FROM entity_updates u WHERE u.entity_id = d.entity_id) AS n
          FROM entity_docs d WHERE d.entity_id = ANY(${docs}::uuid[])`;
        // Each snapshot decoded once per compaction, all that changed fetched in one query.
        const stale = rows.filter((r) => foldedEdits.get(r.id)?.through !== r.through);
        if (stale.length > 0) {
          const snapshots = await sql`SELECT entity_id AS id, compacted_through::text AS through, state FROM entity_docs WHERE entity_id = ANY(${stale.map((r) => r.id)}::uuid[])`;
          for (const snapshot of snapshots) {
            const doc = new Y.Doc();
            Y.applyUpdate(doc, snapshot.state as Uint8Array);
            foldedEdits.set(snapshot.id, { through: snapshot.through, edits: doc.getArray('bench').length });
            doc.destroy();
          }
        }
        let total = 0;
        for (const r of rows) {
          const folded = foldedEdits.get(r.id);
          // Compacted again between the two queries: the next poll counts it.
          if (folded && folded.through === r.through) total += (r.n as number) + folded.edits;
        }
        if (one && quick && rows.length === 1 && total > 0) lastCount.set(one, { n: quick.n as number, first: quick.first as string | null, folded: total - (rows[0].n as number) });
        return total;
      },
      durableRule: 'a new row in `entity_updates` for the entity, or the edit folded into its snapshot by compaction (rows in the log + bench edits in the snapshot)',
      committedAt: (doc) => latestCommitHere(sql, 'entity_updates', 'entity_id', doc),
      async stop() {
        await sql.end({ timeout: 2 }).catch(() => {});
        await app.stop();
        keepLog();
      },
    };
  } catch (err) {
    await sql.end({ timeout: 2 }).catch(() => {});
    await app.stop();
    throw err;
  }
}

/** Starts a peer script from bench/peers and waits for its `READY <port>` line. */
async function startPeerProcess(script: string, databaseUrl: string): Promise<{ child: ChildProcess; port: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...heapProbeArgs(), ...serverNodeArgs(), `bench/peers/${script}`], {
    cwd: process.cwd(),
    env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keepLog = keepServerLogOnExit(() => out, script);
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start in time:\n${out}`)), 60_000);
    child.stdout!.on('data', () => {
      const m = /READY (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready:\n${out}`));
    });
  });
  return {
    child,
    port: ready,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      keepLog();
      const errors = out.split('\n').filter((l) => /error|could not/i.test(l));
      if (errors.length) log(`${script} reported ${errors.length} error line(s), first: ${errors[0]}`);
    },
  };
}

let peerDocCounter = 0;

/**
 * Names of `n` fresh docs for a peer, each stored with the content our API gives a new entity
 * (`createEntity`: the title field, no statements, an empty paragraph) so that every server
 * loads and sends the same documents; `store` writes them to the peer's own table.
 */
async function peerDocs(n: number, store: (rows: { name: string; state: Uint8Array }[]) => Promise<unknown>): Promise<string[]> {
  const rows = Array.from({ length: n }, () => {
    const k = peerDocCounter++;
    const doc = createEntityDoc({ fields: { title: `Bench event ${k}` }, statements: [], body: { type: 'doc', content: [{ type: 'paragraph' }] } });
    const row = { name: `bench-${process.pid}-${k}`, state: Y.encodeStateAsUpdate(doc) };
    doc.destroy();
    return row;
  });
  for (let i = 0; i < rows.length; i += 500) await store(rows.slice(i, i + 500));
  return rows.map((r) => r.name);
}

export async function startYWebsocketServer(databaseUrl: string): Promise<Target> {
  const peer = await startPeerProcess('y-websocket-server.mjs', databaseUrl);
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  return {
    name: 'y-websocket-server',
    pid: peer.child.pid!,
    docs: (n) => peerDocs(n, (rows) => sql`INSERT INTO updates ${sql(rows.map((r) => ({ doc: r.name, update: Buffer.from(r.state) })))}`),
    ...clientsFor({ protocol: 'y-websocket', url: `ws://127.0.0.1:${peer.port}` }),
    async persisted(docs) {
      const [row] = await sql`SELECT count(*)::int AS n FROM updates WHERE doc = ANY(${docs}::text[])`;
      return (row.n as number) - docs.length; // each doc's first row is its initial content
    },
    durableRule: 'a new row in `updates` for the doc (count(*) goes up)',
    committedAt: (doc) => latestCommitHere(sql, 'updates', 'doc', doc),
    async stop() {
      await sql.end({ timeout: 2 }).catch(() => {});
      await peer.stop();
    },
  };
}

export async function startHocuspocus(databaseUrl: string): Promise<Target> {
  const peer = await startPeerProcess('hocuspocus.mjs', databaseUrl);
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  return {
    name: 'hocuspocus',
    pid: peer.child.pid!,
    docs: (n) => peerDocs(n, (rows) => sql`INSERT INTO documents ${sql(rows.map((r) => ({ name: r.name, data: Buffer.from(r.state) })))}`),
    ...clientsFor({ protocol: 'hocuspocus', url: `ws://127.0.0.1:${peer.port}` }),
    async persisted(docs) {
      // The stored full state, decoded: how many bench edits it contains.
      const rows = await sql`SELECT data FROM documents WHERE name = ANY(${docs}::text[])`;
      let n = 0;
      for (const row of rows) {
        const doc = new Y.Doc();
        Y.applyUpdate(doc, row.data as Uint8Array);
        n += doc.getArray('bench').length;
        doc.destroy();
      }
      return n;
    },
    durableRule: '`documents.data` for the doc, decoded into a fresh Y.Doc (Y.applyUpdate), contains the edit',
    committedAt: (doc) => latestCommitHere(sql, 'documents', 'name', doc), // one row per doc, updated in place
    async stop() {
      await sql.end({ timeout: 2 }).catch(() => {});
      await peer.stop();
    },
  };
}

/**
 * How to start each target of `names` (checked here), each on a database of its own on `pg`.
 * `ours@<dir>` is our server from another checkout (built, with node_modules), to measure what
 * a change does against the code without it.
 */
export function targetStarters(pg: PostgresServer, names: string[]): Record<string, () => Promise<Target>> {
  const known: Record<string, (database: string) => Promise<Target>> = {
    ours: (database) => startOurs(database),
    'ours-in-process': (database) => startOurs(database, { inProcess: true }),
    'y-websocket-server': startYWebsocketServer,
    hocuspocus: startHocuspocus,
  };
  const starts: Record<string, () => Promise<Target>> = {};
  for (const [i, name] of names.entries()) {
    const checkout = name.startsWith('ours@') ? name.slice('ours@'.length) : null;
    if (!checkout && !known[name]) throw new Error(`BENCH_TARGETS: unknown target ${name} (known: ${Object.keys(known).join(', ')}, ours@<checkout dir>)`);
    const database = pg.createDatabase(checkout ? `collab_ours_checkout_${i}` : `collab_${name.replaceAll('-', '_')}`);
    starts[name] = checkout ? () => startOurs(database, { checkout }) : () => known[name](database);
  }
  return starts;
}

/** The machine, Node and PostgreSQL the run is on, for the top of a report. */
export async function machineLine(pg: PostgresServer): Promise<string> {
  const sql = postgres(pg.url('postgres'), { max: 1 });
  const [row] = await sql`SHOW server_version`.finally(() => sql.end());
  const cpuList = cpus();
  return (
    `Machine: ${cpuList[0]?.model ?? 'cpu'}, ${cpuList.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM; Node ${process.version}; PostgreSQL ${row.server_version as string} (fsync=off); ` +
    `open-file limit ${openFileLimit()}; ${new Date().toISOString()}`
  );
}
