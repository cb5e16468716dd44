// `node bench/durable-stages.mjs <BENCH_EDIT_LOG file> <BENCH_SOCKET_LOG prefix> [<file> <prefix> …]`:
// where the time of each durable edit of a bench/collab-interleaved.ts run went, for every server
// of the run: the bench sends it (its client taking `push` of that to hand it to its socket) → the
// server's process reads it (`receipt`, its first socket read after the send on its listening
// port) → the server writes to PostgreSQL (`db write`, its first write to a socket that is not a
// client's) → the row commits (PostgreSQL's commit timestamp, the edit log's latency).
// `receipt → commit` is the issue's "time from receipt to durable". Prints each stage's
// percentiles, then each server's p99 ÷ ours' (or the first server's), with a 95 % interval
// (blocks resampled, the same draw for every server), for `receipt → commit` and `send → commit`.
// Several runs (pairs of arguments) are pooled: their blocks together. The clocks: the socket
// log's is the monotonic one in µs; the edit log's fan-out lines give it beside the epoch ms that
// its durable lines use.
import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { firstAtOrAfter } from './socket-log.mjs';

const args = process.argv.slice(2);
if (args.length === 0 || args.length % 2) throw new Error('usage: durable-stages.mjs <edit log> <socket log prefix> [<edit log> <socket log prefix> …]');
const runs = [];
for (let i = 0; i < args.length; i += 2) runs.push(readRun(args[i], args[i + 1]));

/** One run's edit log lines, its clock offset and its socket logs by pid. */
function readRun(logFile, prefix) {
  const lines = readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  // Epoch ms − monotonic ms, the median over the fan-out edits (each has both).
  const offsets = lines.flatMap((l) => (l.readers ? l.edits.map(([epochMs, , monoUs]) => epochMs - monoUs / 1000) : [])).sort((a, b) => a - b);
  if (offsets.length === 0) throw new Error(`${logFile}: no fan-out lines in the edit log: run with BENCH_EDIT_LOG`);
  const socketLogs = new Map(
    readdirSync(dirname(prefix))
      .filter((f) => f.startsWith(`${basename(prefix)}.`))
      .map((f) => [Number(f.slice(basename(prefix).length + 1)), readFileSync(join(dirname(prefix), f), 'utf8').trim().split('\n').map((l) => l.split(' ').map((v, i) => (i === 1 ? v : Number(v))))]),
  );
  return { lines, offsetMs: offsets[offsets.length >> 1], socketLogs };
}

/** A server's durable edits in one run, per block: { push, receipt, dbWrite, commit, total } in ms. */
function stagesOf({ lines, offsetMs, socketLogs }, server) {
  const blocks = lines.filter((l) => l.server === server && l.durable);
  // Its process that reads the most from one local port (its listening port) is the one that serves the sockets.
  const [events, port] = blocks[0].pids
    .map((pid) => socketLogs.get(pid) ?? [])
    .map((events) => {
      const counts = new Map();
      for (const [, kind, local] of events) if (kind === 'r') counts.set(local, (counts.get(local) ?? 0) + 1);
      const [top = [0, 0]] = [...counts].sort((a, b) => b[1] - a[1]);
      return [events, top[0], top[1]];
    })
    .sort((a, b) => b[2] - a[2])[0];
  const reads = events.filter(([, kind, local]) => kind === 'r' && local === port).map(([t]) => t);
  const dbWrites = events.filter(([, kind, local]) => kind === 'w' && local !== port).map(([t]) => t);
  return blocks.map((block) =>
    block.durable.flatMap(([sentEpochMs, latencyMs, pushUs = NaN]) => {
      const sent = (sentEpochMs - offsetMs) * 1000;
      const read = firstAtOrAfter(reads, sent);
      if (read === undefined || read - sent > 50_000) return []; // not seen in the log
      const written = firstAtOrAfter(dbWrites, read);
      return [{ push: pushUs / 1000, receipt: (read - sent) / 1000, dbWrite: written === undefined ? NaN : (written - read) / 1000, commit: latencyMs - (read - sent) / 1000, total: latencyMs }];
    }),
  );
}

const quantile = (values, q) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
};
const servers = [...new Set(runs.flatMap((run) => run.lines.filter((l) => l.durable).map((l) => l.server)))].sort((a, b) => (b === 'ours') - (a === 'ours'));
const stages = new Map(servers.map((s) => [s, runs.flatMap((run) => stagesOf(run, s))]));
const names = { push: "the bench's client (in send → receipt)", receipt: 'send → receipt', dbWrite: 'receipt → db write', commit: 'receipt → commit', total: 'send → commit' };
const qs = [0.5, 0.9, 0.97, 0.99];
console.log(`| server | stage | edits | ${qs.map((q) => `p${q * 100}`).join(' | ')} | max |`);
console.log(`|---|---|---|${qs.map(() => '---|').join('')}---|`);
for (const [server, blocks] of stages) {
  const edits = blocks.flat();
  for (const [key, name] of Object.entries(names)) {
    const v = edits.map((e) => e[key]);
    if (!v.some(Number.isFinite)) continue; // an edit log from before the client's time was logged
    console.log(`| ${server} | ${name} | ${edits.length} | ${qs.map((q) => `${quantile(v, q).toFixed(2)} ms`).join(' | ')} | ${quantile(v, 1).toFixed(2)} ms |`);
  }
}

// Ratios of p99s to the first server's, blocks resampled.
const [first, ...others] = servers;
const p99 = (blocks, key) => quantile(blocks.flat().map((e) => e[key]), 0.99);
const draws = Array.from({ length: 2000 }, () => stages.get(first).map(() => Math.floor(Math.random() * stages.get(first).length)));
console.log('');
for (const other of others) {
  for (const key of ['commit', 'total']) {
    const [a, b] = [stages.get(first), stages.get(other)];
    const ratios = draws.map((draw) => p99(draw.map((i) => a[i]), key) / p99(draw.map((i) => b[i]), key)).sort((x, y) => x - y);
    console.log(`${names[key]} p99, ${first} ÷ ${other}: ${(p99(a, key) / p99(b, key)).toFixed(2)} (${ratios[50].toFixed(2)}–${ratios[1949].toFixed(2)})`);
  }
}
