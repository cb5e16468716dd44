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
// pages are being rendered, and the same runs with its collaboration server in the web server's process. Results go to stdout as Markdown; progress to stderr.
// Quick looks (not for reported numbers): BENCH_TARGETS=ours,hocuspocus, BENCH_FANOUT_READERS=10,100,
// BENCH_FANOUT_EDITS, BENCH_MANY_DOCS (0 skips that scenario), BENCH_DURABLE_EDITS.
// Finding what holds up the slowest edits: BENCH_EDIT_LOG=<file> appends a JSON line per
// fan-out run with each edit's send time (µs of the monotonic clock, the clock of a CPU profile
// made with BENCH_PROFILE_DIR), its first and last delivery (ms after sending), its send time
// again in ms since the epoch (the clock of BENCH_GC_LOG) and the µs the bench itself took to
// make the update and hand it to the socket; and a line per durable run with each edit's send
// time (ms since the epoch) and its latency to the commit (ms). With BENCH_SOCKET_LOG (every
// socket read and write of each server process, bench/heap-probe.mjs), `node
// bench/socket-stages.mjs` splits each edit's time into stages: to the server's read, the
// server's writes to the readers, back to the bench.
// BENCH_PERF_SCHED (below) records the scheduler meanwhile.
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { startPostgres } from '../tests/setup/postgres-server';
import { cpuShares, liveHeap, sampleProcess } from './lib';
import { BENCH_POSTGRES_SETTINGS, MANY_CLIENTS, collectOwnGarbage, MANY_EDITS, MANY_EDITS_PER_SECOND, TIMEOUT_MS, connectMany, connectManyDocs, durableEdits, durableTimedByPoll, edit, editManyDocs, log, machineLine, monotonicUs, openFileLimit, paced, sentAt, sentMonotonicUs, pushUs, sleep, stats, targetStarters, timedDurable, waitFor, waitIdle, type EditSink, type Target } from './collab-lib';

const FANOUT_READERS = (process.env.BENCH_FANOUT_READERS ?? '10,100,500').split(',').map(Number);
const FANOUT_EDITS = Number(process.env.BENCH_FANOUT_EDITS ?? 1000); // p99 is then decided by the 10 slowest edits, not the 2 slowest
const FANOUT_SPACING_MS = 7.5;
const MANY_DOCS = Number(process.env.BENCH_MANY_DOCS ?? 500);
const WARM_DOCS = MANY_DOCS;
const DURABLE_EDITS = Number(process.env.BENCH_DURABLE_EDITS ?? 1000);
// `ours` is our server as it runs on PostgreSQL by default, its collaboration server in a
// process of its own; `ours-in-process` has it in the web server's process (COLLAB_PROCESS=0, as
// always with the embedded database), to show what that changes.
const TARGETS = (process.env.BENCH_TARGETS ?? 'ours,y-websocket-server,hocuspocus,ours-in-process').split(',');
/** The busy-site scenario (our server only: the peers serve no pages): fan-out while clients load pages. */
const BUSY_READERS = 10;
const BUSY_PAGE_LOADERS = 2;
/** BENCH_REPEAT=k runs every target k times, in turn; the report gives each figure's median over the rounds, then every round's figures. */
const REPEAT = Number(process.env.BENCH_REPEAT ?? 1);

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
    collectOwnGarbage();
    const cpu = process.cpuUsage();
    let loading = pageLoaders > 0;
    let pages = 0;
    const loaders = Array.from({ length: pageLoaders }, async () => {
      while (loading) {
        await target.page!(doc);
        pages++;
      }
    });
    const scheduler = await recordScheduler(`${target.name}-${readers}${pageLoaders ? `-busy` : ''}`);
    const editsStarted = performance.now();
    await paced(FANOUT_EDITS, FANOUT_SPACING_MS, () => edit(writer));
    const expected = readers * FANOUT_EDITS;
    await waitFor(() => latencies.length >= expected, TIMEOUT_MS, `${expected} deliveries`).catch((err) => log(`${target.name}: ${(err as Error).message}`));
    await scheduler?.stop();
    const editsSeconds = (performance.now() - editsStarted) / 1000;
    loading = false;
    await Promise.all(loaders);
    const used = process.cpuUsage(cpu);
    const s = stats(latencies);
    const f = stats([...first.values()]);
    if (process.env.BENCH_EDIT_LOG) {
      const edits = [...first.keys()].map((k) => [sentMonotonicUs[k], first.get(k)!, last.get(k)!, Number((performance.timeOrigin + sentAt[k]).toFixed(3)), pushUs[k]]);
      appendFileSync(process.env.BENCH_EDIT_LOG, `${JSON.stringify({ target: target.name, readers, pageLoaders, edits })}\n`);
    }
    return { p50: s.p50, p99: s.p99, max: s.max, firstP50: f.p50, firstP99: f.p99, lost: expected - latencies.length, reconnects: [writer, ...others].reduce((a, c) => a + c.closes(), 0), clientCpuMs: (used.user + used.system) / 1000, connectMs, pagesPerSecond: pages / editsSeconds };
  } finally {
    for (const c of [writer, ...others]) c.destroy();
  }
}

/**
 * BENCH_PERF_SCHED=<folder>: every context switch and wake-up on the machine while the writer
 * types (`perf sched record` on the monotonic clock, the edit log's), to `<folder>/<run>-<k>.data`;
 * `perf sched timehist -i <file>` lists who ran on each core and who waited for one.
 */
async function recordScheduler(run: string): Promise<{ stop(): Promise<void> } | null> {
  const folder = process.env.BENCH_PERF_SCHED;
  if (!folder) return null;
  const file = `${folder}/${run.replace(/[^\w-]+/g, '_')}-${++perfRuns}.data`;
  const perf = spawn('perf', ['sched', 'record', '-k', 'mono', '-o', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let said = '';
  perf.stderr!.on('data', (d) => (said += d));
  const exited = new Promise<void>((resolve) => {
    perf.once('exit', () => resolve());
    perf.once('error', (err) => {
      said += `perf could not start: ${err.message}`;
      resolve();
    });
  });
  await sleep(500); // perf is recording
  return {
    async stop() {
      perf.kill('SIGINT');
      await exited;
      log(`perf sched: ${file}: ${said.trim().split('\n').at(-1)}`);
    },
  };
}
let perfRuns = 0;

type Many = { connectMs: number; p50: number; p99: number; wallMs: number; durableMs: number; lost: number; reconnects: number; cpuMsPerDoc: number; rssKiBPerDoc: number; heapKiBPerDoc: number | undefined; rssBeforeMiB: number; rssAfterMiB: number };

/** MANY_DOCS docs × MANY_CLIENTS clients: connect + sync all, then MANY_EDITS edits per doc from its first client. */
async function manyDocs(target: Target, docs: string[]): Promise<Many> {
  await target.persisted(docs); // once untimed: ours reads each doc's snapshot the first time
  await waitIdle(target.pid);
  const heapBefore = await liveHeap(target.pid);
  const before = sampleProcess(target.pid);
  collectOwnGarbage();
  const started = performance.now();
  const connectStartUs = monotonicUs();
  const benchCpu = process.cpuUsage();
  const serverCpu = sampleProcess(target.pid).cpuMs;
  const latencies: number[] = [];
  const record: EditSink = (k, at) => void latencies.push(at - sentAt[k]);
  const clients = await connectManyDocs(target, docs, record);
  const connectMs = performance.now() - started;
  const benchCpuMs = ((u) => (u.user + u.system) / 1000)(process.cpuUsage(benchCpu));
  log(`${target.name}: ${docs.length} docs connected in ${connectMs.toFixed(0)} ms (CPU: bench ${benchCpuMs.toFixed(0)} ms, server ${(sampleProcess(target.pid).cpuMs - serverCpu).toFixed(0)} ms), monotonic µs ${connectStartUs}–${monotonicUs()}`);
  try {
    const total = docs.length * MANY_EDITS;
    const expected = await editManyDocs(clients);
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
  try {
    await sleep(300);
    collectOwnGarbage();
    const sends: number[] = [];
    const latencies = await durableEdits(target, client, doc, DURABLE_EDITS, sends);
    if (process.env.BENCH_EDIT_LOG) appendFileSync(process.env.BENCH_EDIT_LOG, `${JSON.stringify({ target: target.name, durable: timedDurable(latencies, sends) })}\n`);
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
  out.push(
    `### Durable latency: ${DURABLE_EDITS} edits on one doc, one at a time, push → committed in Postgres (the commit timestamp of the row a poll every 1 ms finds` +
      (durableTimedByPoll ? `; ${durableTimedByPoll} edits folded away before the lookup, timed to the poll` : '') + ')',
    '',
  );
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
const limit = openFileLimit();
const pg = await startPostgres({ settings: BENCH_POSTGRES_SETTINGS });
try {
  // BENCH_TARGETS (comma list) runs a subset, for quick looks; the report compares against the first.
  const starts = targetStarters(pg, TARGETS);
  console.log(await machineLine(pg));
  if (limit < MANY_DOCS * MANY_CLIENTS * 2 + 500) log(`open-file limit ${limit} may be too low for ${MANY_DOCS * MANY_CLIENTS} sockets; raise it with \`ulimit -n 8192\``);
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

