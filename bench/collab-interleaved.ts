// `node --import tsx bench/collab-interleaved.ts` (`npm run bench:collab:interleaved`): the rows of
// the collaboration benchmark that compare the servers' tails (fan-out p99 at 10 and 100
// readers, durable p99), measured with the servers taking turns in short blocks.
//
// In bench/collab.ts each server runs each scenario once per round, ~8 s at a time; on a shared
// 2-core VM a slow stretch of that length moves one server's p99 by 30 % or more, so runs of the
// same code disagree about which server is ahead. Here every server is started and its clients
// connect once (a writer and N raw readers per reader count, one durable client); then, in each
// of BENCH_BLOCKS blocks, every server in turn (the order reversed every other block) is resumed
// (SIGCONT), runs BENCH_BLOCK_EDITS fan-out edits per reader count (7.5 ms apart) and
// BENCH_BLOCK_DURABLE durable edits, waits until it and the machine are idle, and is paused
// again (SIGSTOP): one server runs at a time, and slow stretches of the machine fall on every
// server alike. The report gives each server's p50/p99 over all its blocks, the p99's ratio to
// the first server's with a 95 % interval (the blocks resampled, each block drawn for both
// servers: they ran minutes apart at most), and in how many blocks the first server's p99 was
// the lower. With BENCH_MANY_DOCS > 0, each block ends with the many-docs scenario of
// collab.ts on new docs: MANY_DOCS × 3 clients connect and sync (timed), 5 edits per doc at
// 2000 edits/s, the clients leave; the report adds its fan-out p99 and connect time. Those
// 1,500 clients run in a process of their own per server (many-docs-clients.ts): in this one,
// beside every server's fan-out clients, they made the bench the bottleneck of the connect.
//
// Env: BENCH_TARGETS (default `ours,y-websocket-server`; also `hocuspocus`, `ours-in-process`),
// BENCH_FANOUT_READERS (default `10,100`), BENCH_BLOCKS (20), BENCH_BLOCK_EDITS (150),
// BENCH_BLOCK_DURABLE (100: the p99 of 10 blocks is then the 10th slowest of 1,000), BENCH_MANY_DOCS (500; 0 leaves the scenario out); to find what makes
// the slowest edits, BENCH_EDIT_LOG (below) with BENCH_GC_LOG (bench/heap-probe.mjs) and
// BENCH_PROFILE_DIR; BENCH_CLIENTS_PROF=<dir>, a CPU profile of each server's many-docs clients' process; BENCH_BLOCKS_OUT (below) saves the blocks, and `collab-pool.ts` reports
// several runs' blocks together. Before each server's block the bench collects its own garbage (below).
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPostgres } from '../tests/setup/postgres-server';
import { cpuShares, processTree } from './lib';
import { report, saveRun, type Measured } from './interleaved-report';
import type { ConnectCpu, ManyDocsRequest, ManyDocsResult } from './many-docs-clients';
import { BENCH_POSTGRES_SETTINGS, collectOwnGarbage, statementStats, MANY_CLIENTS, MANY_EDITS, MANY_EDITS_PER_SECOND, TIMEOUT_MS, connectMany, durableEdits, durableTimedByPoll, edit, log, machineLine, paced, sentAt, sentMonotonicUs, sleep, targetStarters, timedDurable, waitFor, waitIdle, type Client, type Target } from './collab-lib';

const TARGETS = (process.env.BENCH_TARGETS ?? 'ours,y-websocket-server').split(',');
const READER_COUNTS = (process.env.BENCH_FANOUT_READERS ?? '10,100').split(',').map(Number);
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 20);
const BLOCK_EDITS = Number(process.env.BENCH_BLOCK_EDITS ?? 150);
const BLOCK_DURABLE = Number(process.env.BENCH_BLOCK_DURABLE ?? 100);
const MANY_DOCS = Number(process.env.BENCH_MANY_DOCS ?? 500);
const SPACING_MS = 7.5;
/**
 * BENCH_EDIT_LOG=<file>: a JSON line per fan-out of a block: each edit's send time (ms since the epoch), its slowest
 * delivery (ms) and its send time on the monotonic clock (µs, the clock of a CPU profile made with BENCH_PROFILE_DIR);
 * and a line per block's durable edits: each one's send time (ms since the epoch), latency to its commit (ms), and the µs
 * the bench's client took to hand it to its socket (bench/durable-stages.mjs).
 */
const EDIT_LOG = process.env.BENCH_EDIT_LOG;
/** BENCH_BLOCKS_OUT=<file>: the run's blocks saved as JSON, to be pooled with other runs' by collab-pool.ts. */
const BLOCKS_OUT = process.env.BENCH_BLOCKS_OUT;
const MANY_DOCS_LINE = `${MANY_DOCS} docs × ${MANY_CLIENTS} clients connect and sync (each block's time, and the CPU time used meanwhile: medians):`;
/** The writers ask for the server's state this often, so that they never go 30 s without a message (see ConnectOptions). */
const WRITER_RESYNC_MS = 5000;

type FanOut = { readers: number; writer: Client; clients: Client[]; latencies: number[] | null; lost: number; slowest: Map<number, number> | null };
type Server = {
  name: string;
  target: Target;
  fans: FanOut[];
  durable: { doc: string; client: Client };
  /** New docs for each block's many-docs scenario (the warm-up's first), made before the blocks as collab.ts makes its docs. */
  manyDocs: string[][];
  /** The process that runs this server's many-docs clients (many-docs-clients.ts). */
  manyClients: ChildProcess | null;
  /** Per scenario (`N=10`, `N=100`, `durable`, `many docs`), each block's latencies (ms), ascending. */
  blocks: Map<string, Float64Array[]>;
  /** Each block's time for the many-docs clients to connect and sync (ms). */
  connectMs: number[];
  /** Each block's CPU time of the server, PostgreSQL and the clients during that connect. */
  connectCpu: ConnectCpu[];
  manyLost: number;
  manyReconnects: number;
};

/** Every client of `server`'s fan-outs and its durable client (the many-docs clients live in their own process). */
function clientsOf(server: Server): Client[] {
  return [...server.fans.flatMap((f) => [f.writer, ...f.clients]), server.durable.client];
}

/** Paused processes, by server, and the timer that keeps the server's providers from timing out meanwhile. */
const paused = new Map<Server, { pids: number[]; keepAlive: NodeJS.Timeout }>();
function pause(server: Server): void {
  const pids = processTree(server.target.pid);
  const clients = clientsOf(server);
  paused.set(server, { pids, keepAlive: setInterval(() => clients.forEach((c) => c.heardNow?.()), 1000) });
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
}
function resume(server: Server): void {
  const { pids = [], keepAlive = undefined } = paused.get(server) ?? {};
  clearInterval(keepAlive);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // exited
    }
  }
  paused.delete(server);
}
function resumeAll(): void {
  for (const server of [...paused.keys()]) resume(server);
}
// A paused server left behind would never exit (a Ctrl+C reaches it too, but acts only once it
// runs): whatever ends this process, resume them first.
process.on('exit', resumeAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    resumeAll();
    process.kill(process.pid, signal);
  });
}

async function setUp(name: string, target: Target): Promise<Server> {
  const [durableDoc, ...fanDocs] = await target.docs(1 + READER_COUNTS.length);
  const fans: FanOut[] = [];
  for (const [i, readers] of READER_COUNTS.entries()) {
    const fan: FanOut = { readers, writer: null as unknown as Client, clients: [], latencies: null, lost: 0, slowest: null };
    const clients = await connectMany(Array(readers + 1).fill(fanDocs[i]), (doc, k) =>
      k === 0
        ? target.connect(doc, undefined, { resyncMs: WRITER_RESYNC_MS })
        : target.reader(doc, (n, at) => {
            if (!fan.latencies) return;
            const ms = at - sentAt[n];
            fan.latencies.push(ms);
            if (fan.slowest) fan.slowest.set(n, Math.max(fan.slowest.get(n) ?? 0, ms));
          }),
    );
    [fan.writer, ...fan.clients] = clients;
    fans.push(fan);
  }
  const [client] = await connectMany([durableDoc], (doc) => target.connect(doc, undefined, { resyncMs: WRITER_RESYNC_MS }));
  const manyDocs: string[][] = [];
  if (MANY_DOCS > 0) for (let block = 0; block <= BLOCKS; block++) manyDocs.push(await target.docs(MANY_DOCS));
  const profile = process.env.BENCH_CLIENTS_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CLIENTS_PROF}`] : [];
  const manyClients = MANY_DOCS > 0 ? fork(join('bench', 'many-docs-clients.ts'), [], { execArgv: ['--expose-gc', '--import', 'tsx', ...profile] }) : null;
  return { name, target, fans, durable: { doc: durableDoc, client }, manyDocs, manyClients, blocks: new Map(), connectMs: [], connectCpu: [], manyLost: 0, manyReconnects: 0 };
}

/** One block of `server`: every fan-out, then the durable edits; `record` false for the warm-up. */
async function runBlock(server: Server, edits: number, durableEditCount: number, record: boolean): Promise<void> {
  const keep = (scenario: string, latencies: number[]) => {
    if (!record) return;
    if (!server.blocks.has(scenario)) server.blocks.set(scenario, []);
    server.blocks.get(scenario)!.push(Float64Array.from(latencies).sort());
  };
  for (const fan of server.fans) {
    const latencies: number[] = [];
    fan.latencies = latencies;
    if (EDIT_LOG) fan.slowest = new Map();
    await paced(edits, SPACING_MS, () => edit(fan.writer));
    const expected = fan.readers * edits;
    await waitFor(() => latencies.length >= expected, TIMEOUT_MS, `${expected} deliveries`).catch((err: Error) => log(`${server.name}: ${err.message}`));
    fan.latencies = null;
    if (record && fan.slowest) {
      const sent = [...fan.slowest].map(([k, slowest]) => [Number((performance.timeOrigin + sentAt[k]).toFixed(3)), Number(slowest.toFixed(3)), sentMonotonicUs[k]]);
      appendFileSync(EDIT_LOG!, `${JSON.stringify({ server: server.name, pids: processTree(server.target.pid), readers: fan.readers, edits: sent })}\n`);
    }
    fan.slowest = null;
    if (record) fan.lost += Math.max(0, expected - latencies.length);
    keep(`N=${fan.readers}`, latencies);
    await sleep(100);
  }
  const sends: number[] = [];
  const pushes: number[] = [];
  const durable = await durableEdits(server.target, server.durable.client, server.durable.doc, durableEditCount, sends, pushes);
  keep('durable', durable);
  if (record && EDIT_LOG) appendFileSync(EDIT_LOG, `${JSON.stringify({ server: server.name, pids: processTree(server.target.pid), durable: timedDurable(durable, sends, pushes) })}\n`);
  if (MANY_DOCS === 0) return;
  // New docs every block, as in collab.ts: y-websocket-server answers a client before the doc's
  // stored updates are loaded, then sends them as an update, in which a reader would find the
  // edits of earlier blocks.
  const docs = server.manyDocs.shift()!;
  await waitIdle(server.target.pid);
  const result = await new Promise<ManyDocsResult>((resolve, reject) => {
    const child = server.manyClients!;
    const onExit = (code: number | null) => reject(new Error(`the many-docs client process exited (${code})`));
    child.once('exit', onExit);
    child.once('message', (answer: ManyDocsResult) => {
      child.off('exit', onExit);
      resolve(answer);
    });
    child.send({ spec: server.target.clients, docs, serverPid: server.target.pid } satisfies ManyDocsRequest);
  });
  if (result.error) log(`${server.name}: ${result.error}`);
  const { latencies, connectMs, connectCpu } = result;
  if (record) {
    server.manyLost += result.lost;
    server.manyReconnects += result.reconnects;
  }
  keep('many docs', latencies);
  if (record) {
    server.connectMs.push(connectMs);
    server.connectCpu.push(connectCpu);
  }
}

/** What `server` measured, for the report (and BENCH_BLOCKS_OUT). */
function measured(server: Server): Measured {
  return {
    name: server.name,
    blocks: server.blocks,
    connectMs: server.connectMs,
    connectCpu: server.connectCpu,
    lost: server.fans.reduce((a, f) => a + f.lost, 0) + server.manyLost,
    reconnects: clientsOf(server).reduce((a, c) => a + c.closes(), 0) + server.manyReconnects,
  };
}

/** The commit the bench runs on, with `+changes` when the tree differs from it. */
function currentCommit(): string {
  const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
  try {
    return git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain', '--untracked-files=no') ? '+changes' : '');
  } catch {
    return 'unknown';
  }
}

// Every y-websocket provider adds a process 'exit' listener.
process.setMaxListeners(0);
const pg = await startPostgres({ settings: BENCH_POSTGRES_SETTINGS });
const servers: Server[] = [];
try {
  const starts = targetStarters(pg, TARGETS);
  const machine = await machineLine(pg);
  for (const name of TARGETS) {
    log(`${name}: starting, connecting ${READER_COUNTS.map((n) => n + 1).join(' + ')} + 1 clients, warming up`);
    const target = await starts[name]();
    const server = await setUp(name, target).catch(async (err: unknown) => {
      await target.stop();
      throw err;
    });
    servers.push(server);
    await runBlock(server, 2 * BLOCK_EDITS, BLOCK_DURABLE, false);
  }
  // Paused only now: a server paused while the next one starts (half a minute for ours) left its
  // writers without a message for longer than y-websocket's 30 s watchdog, and they reconnected.
  for (const server of servers) {
    await waitIdle(server.target.pid);
    pause(server);
  }
  const statements = statementStats(pg);
  await statements.reset();
  const shares = cpuShares();
  for (let block = 0; block < BLOCKS; block++) {
    const order = block % 2 ? [...servers].reverse() : servers;
    for (const server of order) {
      collectOwnGarbage();
      resume(server);
      await sleep(300); // timers due while it was paused run now, not in the block
      await runBlock(server, BLOCK_EDITS, BLOCK_DURABLE, true);
      await waitIdle(server.target.pid);
      pause(server);
    }
    log(`block ${block + 1} of ${BLOCKS} done`);
  }
  resumeAll();
  const results = servers.map(measured);
  const setup =
    `${BLOCKS} blocks per server; a block: ${BLOCK_EDITS} fan-out edits ${SPACING_MS} ms apart per reader count (${READER_COUNTS.join(', ')}), then ${BLOCK_DURABLE} durable edits one at a time (each timed to its commit in PostgreSQL${durableTimedByPoll ? `; ${durableTimedByPoll} to the poll that saw it` : ''})` +
    (MANY_DOCS > 0 ? `, then ${MANY_DOCS} docs × ${MANY_CLIENTS} clients connect, ${MANY_EDITS} edits per doc at ${MANY_EDITS_PER_SECOND} edits/s (\`many docs\`: deliveries to the other clients of each doc), and leave.` : '.');
  console.log([machine, shares().text, '', setup, '', report(results, MANY_DOCS_LINE), await statements.report()].join('\n'));
  if (BLOCKS_OUT) saveRun(BLOCKS_OUT, { machine, commit: currentCommit(), setup, servers: results });
} finally {
  resumeAll();
  for (const server of servers) {
    for (const client of clientsOf(server)) client.destroy();
    server.manyClients?.send({ exit: true } satisfies ManyDocsRequest);
    await server.target.stop();
  }
  pg.stop();
}
// Providers' timers and sockets are all destroyed; exit explicitly in case a library keeps a handle.
process.exit(0);
