// `node --import tsx bench/collab.ts`: collaboration-server benchmark. In one run and on the same
// workload, measures our y-websocket server (server/collab) against two peers, each persisting
// every update to its own PostgreSQL database on one throwaway PostgreSQL server:
//   - ours: `server/index.ts` with DATABASE_URL (group-committed append to `entity_updates`),
//   - y-websocket-server: `@y/websocket-server` + one INSERT per update (bench/peers/y-websocket-server.mjs),
//   - hocuspocus: `@hocuspocus/server` + extension-database, full state stored on every change
//     with debounce 0 (bench/peers/hocuspocus.mjs).
// Servers run one after the other (never at the same time); all clients live in this process.
// Measures fan-out latency (1 writer, N readers), 500 docs × 3 clients, durable latency, and
// the server's CPU and RSS per loaded doc (all its processes); for our server also fan-out while
// pages are being rendered, and the same runs with its collaboration server in its own process. Results go to stdout as Markdown; progress to stderr.
// Quick looks (not for reported numbers): BENCH_TARGETS=ours,hocuspocus, BENCH_FANOUT_READERS=10,100,
// BENCH_FANOUT_EDITS, BENCH_MANY_DOCS (0 skips that scenario), BENCH_DURABLE_EDITS.
// Finding what holds up the slowest edits: BENCH_EDIT_LOG=<file> appends a JSON line per
// fan-out run with each edit's send time (µs of the monotonic clock, the clock of a CPU profile
// made with BENCH_PROFILE_DIR) and its first and last delivery (ms after sending).
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import { HocuspocusProvider } from '@hocuspocus/provider';
import postgres from 'postgres';
import { startApp, type AppServer } from '../tests/setup/app-server';
import { startPostgres } from '../tests/setup/postgres-server';
import { freePort } from '../tests/setup/ports';
import { CLK_TCK, cpuShares, heapProbeArgs, keepServerLog, liveHeap, sampleProcess, serverNodeArgs, signUpWithToken } from './lib';
import { createEntityDoc } from '../server/docs/entity-doc';

const FANOUT_READERS = (process.env.BENCH_FANOUT_READERS ?? '10,100,500').split(',').map(Number);
const FANOUT_EDITS = Number(process.env.BENCH_FANOUT_EDITS ?? 1000); // p99 is then decided by the 10 slowest edits, not the 2 slowest
const FANOUT_SPACING_MS = 7.5;
const MANY_DOCS = Number(process.env.BENCH_MANY_DOCS ?? 500);
const MANY_CLIENTS = 3;
const MANY_EDITS = 5;
const MANY_EDITS_PER_SECOND = 2000;
const WARM_DOCS = MANY_DOCS;
const DURABLE_EDITS = Number(process.env.BENCH_DURABLE_EDITS ?? 1000);
// `ours-own-process`: our server with its collaboration server in a process of its own
// (COLLAB_PROCESS=1), to show what that changes.
const TARGETS = (process.env.BENCH_TARGETS ?? 'ours,y-websocket-server,hocuspocus,ours-own-process').split(',');
/**
 * Readers (every client that only receives): `raw` (default) speak the sync protocol on a bare
 * socket and find each edit's marker in the bytes, so the bench process spends microseconds per
 * delivery and the latency is the server's; `provider` makes them real providers with a Y.Doc
 * each, as before (at 100 readers the bench process then needs ~4 ms of CPU per edit, and the
 * k-th reader waits for the k−1 decoded before it). Writers are always real providers.
 */
const READERS = (process.env.BENCH_READERS ?? 'raw') as 'raw' | 'provider';
if (READERS !== 'raw' && READERS !== 'provider') throw new Error('BENCH_READERS: raw or provider');
/** The busy-site scenario (our server only: the peers serve no pages): fan-out while clients load pages. */
const BUSY_READERS = 10;
const BUSY_PAGE_LOADERS = 2;
/** BENCH_REPEAT=k runs every target k times, in turn; the report gives each figure's median over the rounds, then every round's figures. */
const REPEAT = Number(process.env.BENCH_REPEAT ?? 1);
const CONNECT_CONCURRENCY = 64;
const TIMEOUT_MS = 60_000;

// ---------------------------------------------------------------------------------------------
// small utilities

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const log = (line: string) => console.error(`[bench] ${line}`);
/** CLOCK_MONOTONIC in µs: the clock of a V8 CPU profile's timestamps, to cut a profile (BENCH_PROFILE_DIR) to one phase. */
const monotonicUs = () => process.hrtime.bigint() / 1000n;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN, n: sorted.length };
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string, pollMs = 5): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(pollMs);
  }
}

/** Calls `fn(i)` for i = 0..n-1, the i-th at `start + i * intervalMs` (late ones are sent as soon as the loop gets the CPU). */
async function paced(n: number, intervalMs: number, fn: (i: number) => void): Promise<void> {
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
async function waitIdle(pid: number, timeoutMs = 20_000): Promise<void> {
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

function openFileLimit(): number {
  const m = /Max open files\s+(\d+|unlimited)/.exec(readFileSync('/proc/self/limits', 'utf8'));
  return !m || m[1] === 'unlimited' ? Infinity : Number(m[1]);
}

// ---------------------------------------------------------------------------------------------
// clients

type Client = { doc?: Y.Doc; synced: Promise<void>; closes: () => number; destroy: () => void };
/** Called with an edit's number and the time a client received it. */
type EditSink = (k: number, receivedAt: number) => void;

// Every edit of the run has its own number k; the writer pushes the string `#k;` into the doc's
// `bench` array and notes when. A receiver finds `#k;` in what it gets (in its doc, or in the bytes).
const sentAt: number[] = [];
const sentMonotonicUs: number[] = [];
let editCount = 0;
const MARKER = /#(\d+);/g;

function edit(client: Client): number {
  const k = editCount++;
  sentAt[k] = performance.now();
  sentMonotonicUs[k] = Number(process.hrtime.bigint() / 1000n);
  client.doc!.getArray<string>('bench').push([`#${k};`]);
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

/** A y-websocket client (y-websocket 3.x `WebsocketProvider`), for ours and @y/websocket-server. */
function yWebsocketClient(serverUrl: string, room: string, params: Record<string, string>, onEdit?: EditSink): Client {
  const doc = new Y.Doc();
  const awareness = silentAwareness(doc);
  if (onEdit) observeEdits(doc, onEdit);
  const provider = new WebsocketProvider(serverUrl, room, doc, { WebSocketPolyfill: WebSocket as never, disableBc: true, params, awareness, maxBackoffTime: 1000 });
  let closes = 0;
  provider.on('connection-close', () => closes++);
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    provider.on('sync', (s: boolean) => s && resolve());
  }).then(() => hasContent(doc));
  return asClient(doc, awareness, synced, () => closes, () => provider.destroy());
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
function asClient(doc: Y.Doc, awareness: { destroy(): void }, synced: Promise<void>, closes: () => number, destroyProvider: () => void): Client {
  return {
    doc,
    synced,
    closes,
    destroy: () => {
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
  let closes = 0;
  const provider = new HocuspocusProvider({
    url: serverUrl,
    name,
    document: doc,
    awareness,
    WebSocketPolyfill: WebSocket,
    // No awareness traffic: do not let the provider's "no message for 30 s" check reconnect.
    messageReconnectTimeout: 600_000,
    onClose: () => closes++,
  } as never);
  const synced = new Promise<void>((resolve) => {
    if (provider.isSynced) resolve();
    provider.on('synced', () => resolve());
  }).then(() => hasContent(doc));
  return asClient(doc, awareness, synced, () => closes, () => provider.destroy());
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
  const emptyStateVector = Y.encodeStateVector(new Y.Doc());
  const emptyUpdate = Y.encodeStateAsUpdate(new Y.Doc());
  const ws = new WebSocket(url);
  let closes = 0;
  let synced!: () => void;
  const done = new Promise<void>((resolve) => (synced = resolve));
  let gotStep2 = false;
  let gotContent = false;
  ws.on('open', () => {
    for (const m of hello) ws.send(m);
    ws.send(message((e) => encoding.writeVarUint(e, SYNC), (e) => encoding.writeVarUint(e, SYNC_STEP1), (e) => encoding.writeVarUint8Array(e, emptyStateVector)));
  });
  ws.on('message', (data: Buffer) => {
    const now = performance.now();
    const decoder = decoding.createDecoder(data);
    if (prefix.length) decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type !== SYNC && !(prefix.length && type === HOCUSPOCUS_SYNC_REPLY)) return;
    const step = decoding.readVarUint(decoder);
    if (step === SYNC_STEP1) return void ws.send(message((e) => encoding.writeVarUint(e, SYNC), (e) => encoding.writeVarUint(e, SYNC_STEP2), (e) => encoding.writeVarUint8Array(e, emptyUpdate)));
    if (step === SYNC_STEP2) gotStep2 = true;
    else if (step === SYNC_UPDATE) for (const m of data.toString('latin1').matchAll(MARKER)) onEdit(Number(m[1]), now);
    if (!gotContent && data.includes(CONTENT_MARK)) gotContent = true;
    if (gotStep2 && gotContent) synced();
  });
  ws.on('close', () => closes++);
  ws.on('error', () => {});
  return { synced: done, closes: () => closes, destroy: () => ws.terminate() };
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

/** Opens one client per entry of `docs` with `open`, at most CONNECT_CONCURRENCY syncing at once; resolves when all are synced. */
async function connectMany(docs: string[], open: (doc: string, i: number) => Client): Promise<Client[]> {
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

// ---------------------------------------------------------------------------------------------
// targets

type Target = {
  name: string;
  pid: number;
  /** Names of `n` fresh documents (ours: entity ids made through the API). */
  docs: (n: number) => Promise<string[]>;
  /** A real provider (writers; readers too with BENCH_READERS=provider). */
  connect: (doc: string, onEdit?: EditSink) => Client;
  /** A client that only receives: a raw reader, or a real provider with BENCH_READERS=provider. */
  reader: (doc: string, onEdit: EditSink) => Client;
  /** How many bench edits of `docs` are durable in this server's database right now. */
  persisted: (docs: string[]) => Promise<number>;
  /** What `persisted` looks at, for the report. */
  durableRule: string;
  /** Loads the doc's entity page as a signed-in reader (rendered by Next, never cached); only our server serves pages. */
  page?: (doc: string) => Promise<void>;
  stop: () => Promise<void>;
};

/**
 * Our server on PostgreSQL, its collaboration server in the web server's process (the default)
 * or, with `ownProcess`, in a process of its own (COLLAB_PROCESS=1).
 */
/** Our server may start on one database several times (BENCH_REPEAT): each start signs up its own user. */
let oursStarted = 0;
async function startOurs(databaseUrl: string, { ownProcess = false } = {}): Promise<Target> {
  const app: AppServer = await startApp({ DATABASE_URL: databaseUrl, SEED: '0', SIGNUP_LIMIT: '100000', COLLAB_PROCESS: ownProcess ? '1' : '0' }, {
    timeoutMs: 300_000,
    nodeArgs: [...heapProbeArgs(), ...serverNodeArgs()],
  });
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const { cookie, token } = await signUpWithToken(app.url, `bencher${++oursStarted}`, 'Bench-pass-2718281828!');
    let made = 0;
    const slugs = new Map<string, string>();
    const foldedEdits = new Map<string, { through: string; edits: number }>();
    const wsUrl = `${app.url.replace(/^http/, 'ws')}/collab`;
    return {
      name: ownProcess ? 'ours, own process' : 'ours',
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
      connect: (doc, onEdit) => yWebsocketClient(wsUrl, doc, { token }, onEdit),
      reader: (doc, onEdit) => (READERS === 'raw' ? rawReader(`${wsUrl}/${doc}?token=${token}`, onEdit) : yWebsocketClient(wsUrl, doc, { token }, onEdit)),
      async persisted(docs) {
        // Logged rows not yet compacted, plus the bench edits already folded into the snapshot
        // (every 500 updates the log is folded into `entity_docs.state` and those rows deleted).
        const rows = await sql`
          SELECT d.entity_id AS id, d.compacted_through::text AS through,
            (SELECT count(*)::int FROM entity_updates u WHERE u.entity_id = d.entity_id AND u.id > d.compacted_through) AS n
          FROM entity_docs d WHERE d.entity_id = ANY(${docs}::uuid[])`;
        let total = 0;
        for (const r of rows) {
          let folded = foldedEdits.get(r.id);
          if (!folded || folded.through !== r.through) {
            const [snapshot] = await sql`SELECT state FROM entity_docs WHERE entity_id = ${r.id} AND compacted_through = ${r.through}`;
            if (!snapshot) continue; // compacted again meanwhile: the next poll counts it
            const doc = new Y.Doc();
            Y.applyUpdate(doc, snapshot.state as Uint8Array);
            folded = { through: r.through, edits: doc.getArray('bench').length };
            doc.destroy();
            foldedEdits.set(r.id, folded);
          }
          total += (r.n as number) + folded.edits;
        }
        return total;
      },
      durableRule: 'a new row in `entity_updates` for the entity, or the edit folded into its snapshot by compaction (rows after `compacted_through` + bench edits in the snapshot)',
      async stop() {
        await sql.end({ timeout: 2 }).catch(() => {});
        await app.stop();
        keepServerLog(app.output());
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

async function startYWebsocketServer(databaseUrl: string): Promise<Target> {
  const peer = await startPeerProcess('y-websocket-server.mjs', databaseUrl);
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  return {
    name: 'y-websocket-server',
    pid: peer.child.pid!,
    docs: (n) => peerDocs(n, (rows) => sql`INSERT INTO updates ${sql(rows.map((r) => ({ doc: r.name, update: Buffer.from(r.state) })))}`),
    connect: (doc, onEdit) => yWebsocketClient(`ws://127.0.0.1:${peer.port}`, doc, {}, onEdit),
    reader: (doc, onEdit) => (READERS === 'raw' ? rawReader(`ws://127.0.0.1:${peer.port}/${doc}`, onEdit) : yWebsocketClient(`ws://127.0.0.1:${peer.port}`, doc, {}, onEdit)),
    async persisted(docs) {
      const [row] = await sql`SELECT count(*)::int AS n FROM updates WHERE doc = ANY(${docs}::text[])`;
      return (row.n as number) - docs.length; // each doc's first row is its initial content
    },
    durableRule: 'a new row in `updates` for the doc (count(*) goes up)',
    async stop() {
      await sql.end({ timeout: 2 }).catch(() => {});
      await peer.stop();
    },
  };
}

async function startHocuspocus(databaseUrl: string): Promise<Target> {
  const peer = await startPeerProcess('hocuspocus.mjs', databaseUrl);
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  return {
    name: 'hocuspocus',
    pid: peer.child.pid!,
    docs: (n) => peerDocs(n, (rows) => sql`INSERT INTO documents ${sql(rows.map((r) => ({ name: r.name, data: Buffer.from(r.state) })))}`),
    connect: (doc, onEdit) => hocuspocusClient(`ws://127.0.0.1:${peer.port}`, doc, onEdit),
    reader: (doc, onEdit) => (READERS === 'raw' ? hocuspocusRawReader(`ws://127.0.0.1:${peer.port}`, doc, onEdit) : hocuspocusClient(`ws://127.0.0.1:${peer.port}`, doc, onEdit)),
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
    async stop() {
      await sql.end({ timeout: 2 }).catch(() => {});
      await peer.stop();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// scenarios

type FanOut = { p50: number; p99: number; max: number; firstP50: number; firstP99: number; lost: number; reconnects: number; clientCpuMs: number; connectMs: number; pagesPerSecond: number };

/**
 * 1 writer + `readers` readers on one doc; the writer makes FANOUT_EDITS edits FANOUT_SPACING_MS
 * apart. With `pageLoaders`, that many clients load the doc's page over and over meanwhile (a
 * site that is busy serving pages while people type).
 */
async function fanOut(target: Target, doc: string, readers: number, pageLoaders = 0): Promise<FanOut> {
  const latencies: number[] = [];
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const record: EditSink = (k, at) => {
    const latency = at - sentAt[k];
    latencies.push(latency);
    if (!(latency >= first.get(k)!)) first.set(k, latency);
    if (!(latency <= last.get(k)!)) last.set(k, latency);
  };
  const started = performance.now();
  const [writer, ...others] = await connectMany(Array(readers + 1).fill(doc), (d, i) => (i === 0 ? target.connect(d) : target.reader(d, record)));
  const connectMs = performance.now() - started;
  try {
    await sleep(500); // let connection work settle
    const cpu = process.cpuUsage();
    let loading = pageLoaders > 0;
    let pages = 0;
    const loaders = Array.from({ length: pageLoaders }, async () => {
      while (loading) {
        await target.page!(doc);
        pages++;
      }
    });
    const editsStarted = performance.now();
    await paced(FANOUT_EDITS, FANOUT_SPACING_MS, () => edit(writer));
    const expected = readers * FANOUT_EDITS;
    await waitFor(() => latencies.length >= expected, TIMEOUT_MS, `${expected} deliveries`).catch((err) => log(`${target.name}: ${(err as Error).message}`));
    const editsSeconds = (performance.now() - editsStarted) / 1000;
    loading = false;
    await Promise.all(loaders);
    const used = process.cpuUsage(cpu);
    const s = stats(latencies);
    const f = stats([...first.values()]);
    if (process.env.BENCH_EDIT_LOG) {
      const edits = [...first.keys()].map((k) => [sentMonotonicUs[k], first.get(k)!, last.get(k)!]);
      appendFileSync(process.env.BENCH_EDIT_LOG, `${JSON.stringify({ target: target.name, readers, pageLoaders, edits })}\n`);
    }
    return { p50: s.p50, p99: s.p99, max: s.max, firstP50: f.p50, firstP99: f.p99, lost: expected - latencies.length, reconnects: [writer, ...others].reduce((a, c) => a + c.closes(), 0), clientCpuMs: (used.user + used.system) / 1000, connectMs, pagesPerSecond: pages / editsSeconds };
  } finally {
    for (const c of [writer, ...others]) c.destroy();
  }
}

type Many = { connectMs: number; p50: number; p99: number; wallMs: number; durableMs: number; lost: number; reconnects: number; cpuMsPerDoc: number; rssKiBPerDoc: number; heapKiBPerDoc: number | undefined; rssBeforeMiB: number; rssAfterMiB: number };

/** MANY_DOCS docs × MANY_CLIENTS clients: connect + sync all, then MANY_EDITS edits per doc from its first client. */
async function manyDocs(target: Target, docs: string[]): Promise<Many> {
  await waitIdle(target.pid);
  const heapBefore = await liveHeap(target.pid);
  const before = sampleProcess(target.pid);
  const started = performance.now();
  const connectStartUs = monotonicUs();
  const benchCpu = process.cpuUsage();
  const serverCpu = sampleProcess(target.pid).cpuMs;
  const latencies: number[] = [];
  const record: EditSink = (k, at) => void latencies.push(at - sentAt[k]);
  const clients = await connectMany(
    docs.flatMap((d) => Array(MANY_CLIENTS).fill(d)),
    (d, i) => (i % MANY_CLIENTS === 0 ? target.connect(d) : target.reader(d, record)),
  );
  const connectMs = performance.now() - started;
  const benchCpuMs = ((u) => (u.user + u.system) / 1000)(process.cpuUsage(benchCpu));
  log(`${target.name}: ${docs.length} docs connected in ${connectMs.toFixed(0)} ms (CPU: bench ${benchCpuMs.toFixed(0)} ms, server ${(sampleProcess(target.pid).cpuMs - serverCpu).toFixed(0)} ms), monotonic µs ${connectStartUs}–${monotonicUs()}`);
  try {
    const total = docs.length * MANY_EDITS;
    await paced(total, 1000 / MANY_EDITS_PER_SECOND, (k) => edit(clients[(k % docs.length) * MANY_CLIENTS]));
    const expected = total * (MANY_CLIENTS - 1);
    await waitFor(() => latencies.length >= expected, TIMEOUT_MS, `${expected} deliveries`).catch((err) => log(`${target.name}: ${(err as Error).message}`));
    const wallMs = performance.now() - started;
    await waitFor(async () => (await target.persisted(docs)) >= total, TIMEOUT_MS, `${total} durable edits`, 20).catch((err) => log(`${target.name}: ${(err as Error).message}`));
    const durableMs = performance.now() - started;
    const after = sampleProcess(target.pid);
    log(`${target.name}: ${docs.length} docs scenario done, CPU ${(after.cpuMs - before.cpuMs).toFixed(0)} ms, monotonic µs ${connectStartUs}–${monotonicUs()}`);
    // The clients still connected, their docs loaded; background work (our projections of the
    // edits, debounced) done first, so the figure is what a loaded doc keeps.
    await waitIdle(target.pid);
    const heapAfter = await liveHeap(target.pid);
    const s = stats(latencies);
    return {
      connectMs,
      p50: s.p50,
      p99: s.p99,
      wallMs,
      durableMs,
      lost: expected - latencies.length,
      reconnects: clients.reduce((a, c) => a + c.closes(), 0),
      cpuMsPerDoc: (after.cpuMs - before.cpuMs) / docs.length,
      rssKiBPerDoc: (after.rssKiB - before.rssKiB) / docs.length,
      heapKiBPerDoc: heapBefore === undefined || heapAfter === undefined ? undefined : (heapAfter - heapBefore) / 1024 / docs.length,
      rssBeforeMiB: before.rssKiB / 1024,
      rssAfterMiB: after.rssKiB / 1024,
    };
  } finally {
    for (const c of clients) c.destroy();
  }
}

type Durable = { p50: number; p99: number; max: number };

/** One client makes DURABLE_EDITS edits one at a time; each is timed from the push until `persisted` shows it (polled every 1 ms). */
async function durable(target: Target, doc: string): Promise<Durable> {
  const [client] = await connectMany([doc], (d) => target.connect(d));
  const latencies: number[] = [];
  try {
    await sleep(300);
    const base = await target.persisted([doc]);
    for (let i = 0; i < DURABLE_EDITS; i++) {
      const sent = performance.now();
      edit(client);
      for (;;) {
        const polled = performance.now();
        if ((await target.persisted([doc])) >= base + i + 1) break;
        if (performance.now() - sent > 10_000) throw new Error(`edit ${i} not durable after 10 s`);
        const wait = 1 - (performance.now() - polled);
        if (wait > 0) await sleep(wait);
      }
      latencies.push(performance.now() - sent);
      await sleep(5);
    }
    return stats(latencies);
  } finally {
    client.destroy();
  }
}

type Result = { name: string; durableRule: string; fanOut: Record<number, FanOut | null>; busy: FanOut | null; many: Many | null; durable: Durable | null; errors: string[] };

async function runTarget(start: () => Promise<Target>, label: string): Promise<Result> {
  log(`${label}: starting`);
  const target = await start();
  const result: Result = { name: target.name, durableRule: target.durableRule, fanOut: {}, busy: null, many: null, durable: null, errors: [] };
  const attempt = async <T>(what: string, fn: () => Promise<T>): Promise<T | null> => {
    log(`${label}: ${what}`);
    try {
      const r = await fn();
      await waitIdle(target.pid);
      return r;
    } catch (err) {
      result.errors.push(`${what}: ${(err as Error).message}`);
      log(`${label}: ${what} FAILED: ${(err as Error).message}`);
      await sleep(1000);
      return null;
    }
  };
  try {
    const [warmDoc, durableDoc, busyDoc, ...fanDocs] = await target.docs(3 + FANOUT_READERS.length);
    const manyDocNames = await target.docs(MANY_DOCS);
    const warmDocNames = MANY_DOCS > 0 ? await target.docs(WARM_DOCS) : [];
    // Warm-up (JIT and heap size of server and bench client, connection paths, database pools),
    // not reported: a small fan-out run, and the many-docs scenario on other docs. Without the
    // second, whichever server ran first paid for the bench process's first 1500 clients (up to
    // 70 % more bench CPU while connecting; 150 docs were not enough).
    await attempt('warm-up', async () => {
      await fanOut(target, warmDoc, 10);
      if (warmDocNames.length) await manyDocs(target, warmDocNames);
    });
    if (MANY_DOCS > 0) result.many = await attempt(`${MANY_DOCS} docs × ${MANY_CLIENTS} clients`, () => manyDocs(target, manyDocNames));
    result.durable = await attempt('durable latency', () => durable(target, durableDoc));
    for (let k = 0; k < FANOUT_READERS.length; k++) {
      const n = FANOUT_READERS[k];
      result.fanOut[n] = await attempt(`fan-out to ${n} readers`, () => fanOut(target, fanDocs[k], n));
    }
    if (target.page) result.busy = await attempt(`fan-out to ${BUSY_READERS} readers while ${BUSY_PAGE_LOADERS} clients load pages`, () => fanOut(target, busyDoc, BUSY_READERS, BUSY_PAGE_LOADERS));
  } finally {
    await target.stop();
    log(`${label}: stopped`);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// report

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** One result whose every figure is the median of that figure over the rounds (rounds that failed a scenario are left out of it). */
function medianResult(rounds: Result[]): Result {
  const merge = (values: unknown[]): unknown => {
    const present = values.filter((v) => v !== null && v !== undefined);
    if (present.length === 0) return null;
    if (typeof present[0] === 'number') return median(present as number[]);
    if (typeof present[0] !== 'object') return present[0];
    const keys = new Set(present.flatMap((v) => Object.keys(v as object)));
    return Object.fromEntries([...keys].map((k) => [k, merge(present.map((v) => (v as Record<string, unknown>)[k]))]));
  };
  return { ...(merge(rounds) as Result), name: rounds[0].name, durableRule: rounds[0].durableRule, errors: rounds.flatMap((r, i) => r.errors.map((e) => `round ${i + 1}: ${e}`)) };
}

/** Every round's figures for the rows the targets are judged on (how much they move between rounds). */
function reportRounds(rounds: Result[][]): void {
  const rows: [string, (r: Result) => number | undefined][] = [
    ...FANOUT_READERS.map((n) => [`fan-out p99 N=${n}`, (r: Result) => r.fanOut[n]?.p99] as [string, (r: Result) => number | undefined]),
    ['durable p99', (r) => r.durable?.p99],
    [`${MANY_DOCS} docs connect + sync`, (r) => r.many?.connectMs],
    [`${MANY_DOCS} docs fan-out p99`, (r) => r.many?.p99],
    [`${MANY_DOCS} docs wall time`, (r) => r.many?.wallMs],
    ['CPU per doc', (r) => r.many?.cpuMsPerDoc],
    ['RSS growth per doc (KiB)', (r) => r.many?.rssKiBPerDoc],
    ['live heap per doc (KiB)', (r) => r.many?.heapKiBPerDoc],
    ['busy site fan-out p99', (r) => r.busy?.p99],
  ];
  const out = ['', `### Every round (${REPEAT} rounds; the tables above give the medians)`, ''];
  out.push(`| metric | ${rounds.map((r) => r[0].name).join(' | ')} |`, `|---|${rounds.map(() => '---').join('|')}|`);
  for (const [label, get] of rows) out.push(`| ${label} | ${rounds.map((target) => target.map((r) => num(get(r) !== undefined && (get(r) as number) >= 100 ? 0 : 2)(get(r))).join(' / ')).join(' | ')} |`);
  console.log(out.join('\n'));
}

const ms = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? 'n/a' : v >= 100 ? `${v.toFixed(0)} ms` : `${v.toFixed(2)} ms`);
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0 ? 'n/a' : (a / b).toFixed(2));

function table(results: Result[], rows: [string, (r: Result) => number | undefined, (v: number | undefined) => string][]): string {
  const [ours, ...peers] = results;
  const head = `| metric | ${results.map((r) => r.name).join(' | ')} | ${peers.map((p) => `ours/${p.name}`).join(' | ')} |`;
  const sep = `|---|${results.map(() => '---').join('|')}|${peers.map(() => '---').join('|')}|`;
  const body = rows.map(([label, get, fmt]) => `| ${label} | ${results.map((r) => fmt(get(r))).join(' | ')} | ${peers.map((p) => ratio(get(ours), get(p))).join(' | ')} |`);
  return [head, sep, ...body].join('\n');
}

const count = (v: number | undefined) => (v === undefined ? 'n/a' : String(Math.round(v)));
const num = (digits: number, unit = '') => (v: number | undefined) => (v === undefined || Number.isNaN(v) ? 'n/a' : `${v.toFixed(digits)}${unit}`);

function report(results: Result[], machine: string): void {
  const out: string[] = [];
  if (machine) out.push(machine, '');
  if (REPEAT > 1) out.push(`Each figure is the median over ${REPEAT} rounds (every round's figures for the judged rows at the end).`, '');
  out.push(`### Fan-out latency: 1 writer, N readers on one doc, ${FANOUT_EDITS} edits ${FANOUT_SPACING_MS} ms apart (receive − send, all (reader, edit) pairs)`, '');
  const fanRows: Parameters<typeof table>[1] = [];
  for (const n of FANOUT_READERS) {
    fanRows.push([`N=${n} p50`, (r) => r.fanOut[n]?.p50, ms]);
    fanRows.push([`N=${n} p99`, (r) => r.fanOut[n]?.p99, ms]);
    fanRows.push([`N=${n} max`, (r) => r.fanOut[n]?.max, ms]);
    fanRows.push([`N=${n} first reader of each edit p50`, (r) => r.fanOut[n]?.firstP50, ms]);
    fanRows.push([`N=${n} first reader of each edit p99`, (r) => r.fanOut[n]?.firstP99, ms]);
    fanRows.push([`N=${n} connect + sync all`, (r) => r.fanOut[n]?.connectMs, ms]);
    fanRows.push([`N=${n} bench-process CPU while editing`, (r) => r.fanOut[n]?.clientCpuMs, ms]);
    fanRows.push([`N=${n} lost deliveries`, (r) => r.fanOut[n]?.lost, count]);
    fanRows.push([`N=${n} reconnects`, (r) => r.fanOut[n]?.reconnects, count]);
  }
  out.push(table(results, fanRows), '');
  out.push(`### ${MANY_DOCS} docs × ${MANY_CLIENTS} clients (${MANY_DOCS * MANY_CLIENTS} connections), then ${MANY_EDITS} edits per doc from one client (${MANY_EDITS_PER_SECOND} edits/s overall)`, '');
  out.push(
    table(results, [
      ['connect + sync all', (r) => r.many?.connectMs, ms],
      ['fan-out p50', (r) => r.many?.p50, ms],
      ['fan-out p99', (r) => r.many?.p99, ms],
      ['total wall time (connect → all edits delivered)', (r) => r.many?.wallMs, ms],
      ['… → all edits durable in Postgres', (r) => r.many?.durableMs, ms],
      ['lost deliveries', (r) => r.many?.lost, count],
      ['reconnects', (r) => r.many?.reconnects, count],
    ]),
    '',
  );
  out.push(
    `### Busy site: 1 writer, ${BUSY_READERS} readers on one doc while ${BUSY_PAGE_LOADERS} clients load that doc's page over and over (signed in: rendered by Next every time); our server only, the peers serve no pages`,
    '',
  );
  out.push(
    table(results, [
      ['fan-out p50', (r) => r.busy?.p50, ms],
      ['fan-out p99', (r) => r.busy?.p99, ms],
      ['fan-out max', (r) => r.busy?.max, ms],
      ['pages served per second meanwhile', (r) => r.busy?.pagesPerSecond, num(1)],
      ['lost deliveries', (r) => r.busy?.lost, count],
    ]),
    '',
  );
  out.push(`### Durable latency: ${DURABLE_EDITS} edits on one doc, one at a time, push → visible in Postgres (polled every 1 ms on a dedicated connection)`, '');
  out.push(
    table(results, [
      ['p50', (r) => r.durable?.p50, ms],
      ['p99', (r) => r.durable?.p99, ms],
      ['max', (r) => r.durable?.max, ms],
    ]),
    '',
  );
  for (const r of results) out.push(`- ${r.name}: durable = ${r.durableRule}`);
  out.push('');
  out.push(`### Server CPU and memory for the ${MANY_DOCS}-docs scenario (server process, /proc; before connecting → after all edits durable)`, '');
  out.push(
    table(results, [
      ['CPU per doc (user+sys)', (r) => r.many?.cpuMsPerDoc, num(2, ' ms')],
      ['RSS growth per doc', (r) => r.many?.rssKiBPerDoc, num(1, ' KiB')],
      ['live heap per doc (V8 heap + external, after a full GC)', (r) => r.many?.heapKiBPerDoc, num(1, ' KiB')],
      ['RSS before', (r) => r.many?.rssBeforeMiB, num(0, ' MiB')],
      ['RSS after', (r) => r.many?.rssAfterMiB, num(0, ' MiB')],
    ]),
    '',
  );

  // Targets
  const [ours, ...others] = results;
  const peers = others.filter((r) => !r.name.startsWith('ours'));
  const check = (label: string, ok: boolean | undefined, detail: string) => out.push(`- ${ok === undefined ? 'n/a ' : ok ? 'PASS' : 'FAIL'} ${label}: ${detail}`);
  out.push('### Summary against the targets', '');
  const p99at100 = ours.fanOut[100]?.p99;
  check('p99 fan-out ≤ 5 ms at 100 readers', p99at100 === undefined ? undefined : p99at100 <= 5, `ours ${ms(p99at100)}`);
  const dp99 = ours.durable?.p99;
  check('durable p99 ≤ 50 ms', dp99 === undefined ? undefined : dp99 <= 50, `ours ${ms(dp99)}`);
  const compared: [string, (r: Result) => number | undefined][] = [
    ...FANOUT_READERS.map((n) => [`fan-out p99 N=${n}`, (r: Result) => r.fanOut[n]?.p99] as [string, (r: Result) => number | undefined]),
    ['durable p99', (r) => r.durable?.p99],
  ];
  if (MANY_DOCS > 0) {
    compared.push(
      [`${MANY_DOCS} docs connect + sync`, (r) => r.many?.connectMs],
      [`${MANY_DOCS} docs fan-out p99`, (r) => r.many?.p99],
      [`${MANY_DOCS} docs wall time`, (r) => r.many?.wallMs],
      ['CPU per doc', (r) => r.many?.cpuMsPerDoc],
      ['RSS per doc', (r) => r.many?.rssKiBPerDoc],
      ['live heap per doc', (r) => r.many?.heapKiBPerDoc],
    );
  }
  for (const [label, get] of peers.length ? compared : []) {
    const ratios = peers.map((p) => ratio(get(ours), get(p)));
    const worse = peers.filter((p) => get(ours) !== undefined && get(p) !== undefined && get(ours)! > get(p)!).map((p) => p.name);
    const known = ratios.every((r) => r !== 'n/a');
    check(`no worse than either peer — ${label}`, known ? worse.length === 0 : undefined, `ours/${peers.map((p, i) => `${p.name} ${ratios[i]}`).join(', ours/')}${worse.length ? ` (worse than ${worse.join(', ')})` : ''}`);
  }
  const errors = results.flatMap((r) => r.errors.map((e) => `${r.name}: ${e}`));
  if (errors.length) out.push('', '### Errors', '', ...errors.map((e) => `- ${e}`));
  console.log(out.join('\n'));
}

// ---------------------------------------------------------------------------------------------
// main

// Every y-websocket provider adds a process 'exit' listener; 1500 of them are expected here.
process.setMaxListeners(0);
const cpuList = cpus();
const limit = openFileLimit();
const pg = await startPostgres();
try {
  const dbOurs = pg.createDatabase('collab_ours');
  const dbYws = pg.createDatabase('collab_y_websocket_server');
  const dbHocus = pg.createDatabase('collab_hocuspocus');
  const dbOursOwn = TARGETS.includes('ours-own-process') ? pg.createDatabase('collab_ours_own_process') : '';
  const version = await (async () => {
    const sql = postgres(pg.url('postgres'), { max: 1 });
    try {
      const [row] = await sql`SHOW server_version`;
      return row.server_version as string;
    } finally {
      await sql.end();
    }
  })();
  const machine =
    `Machine: ${cpuList[0]?.model ?? 'cpu'}, ${cpuList.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM; Node ${process.version}; PostgreSQL ${version} (fsync=off); ` +
    `open-file limit ${limit}; ${new Date().toISOString()}`;
  console.log(machine);
  if (limit < MANY_DOCS * MANY_CLIENTS * 2 + 500) log(`open-file limit ${limit} may be too low for ${MANY_DOCS * MANY_CLIENTS} sockets; raise it with \`ulimit -n 8192\``);
  // BENCH_TARGETS (comma list) runs a subset, for quick looks; the report compares against the first.
  const starts: Record<string, () => Promise<Target>> = {
    ours: () => startOurs(dbOurs),
    'ours-own-process': () => startOurs(dbOursOwn, { ownProcess: true }),
    'y-websocket-server': () => startYWebsocketServer(dbYws),
    hocuspocus: () => startHocuspocus(dbHocus),
  };
  for (const name of TARGETS) if (!starts[name]) throw new Error(`BENCH_TARGETS: unknown target ${name} (known: ${Object.keys(starts).join(', ')})`);
  // Rounds run the targets in turn, so drift on the machine is shared, and each round starts
  // with the next target (A B C, then B C A, then C A B), so none keeps the same place: our
  // 500-docs connect was 1.2× y-websocket-server's with ours first in every round, and 0.85×
  // in a run where ours went second.
  const rounds: Result[][] = TARGETS.map(() => []);
  const shares = cpuShares();
  for (let round = 1; round <= REPEAT; round++) {
    for (let k = 0; k < TARGETS.length; k++) {
      const i = (k + round - 1) % TARGETS.length;
      const name = TARGETS[i];
      rounds[i].push(await runTarget(starts[name], REPEAT > 1 ? `${name} (round ${round} of ${REPEAT})` : name));
    }
  }
  console.log('');
  console.log(shares().text);
  report(rounds.map(medianResult), '');
  if (REPEAT > 1) reportRounds(rounds);
} finally {
  pg.stop();
}
// Providers' timers and sockets are all destroyed; exit explicitly in case a library keeps a handle.
process.exit(0);
