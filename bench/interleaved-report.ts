// The report of an interleaved run (collab-interleaved.ts) and of several pooled
// (collab-pool.ts): each server's p50/p99 over its blocks, the p99's ratio to the first
// server's with a 95 % interval from resampled blocks, and the many-docs connect.
import { readFileSync, writeFileSync } from 'node:fs';
import { percentile } from './lib';
import type { ConnectCpu } from './many-docs-clients';

/** What one server measured over the blocks of a run (or of several runs, pooled). */
export type Measured = {
  name: string;
  /** Per scenario (`N=10`, `N=100`, `durable`, `many docs`), each block's latencies (ms), ascending. */
  blocks: Map<string, Float64Array[]>;
  /** Each block's time for the many-docs clients to connect and sync (ms). */
  connectMs: number[];
  /** Each block's CPU time of the server, PostgreSQL and the clients during that connect. */
  connectCpu: ConnectCpu[];
  lost: number;
  reconnects: number;
};

/** A run as saved with BENCH_BLOCKS_OUT: where and when it ran, and what each server measured. */
export type SavedRun = { machine: string; commit: string; setup: string; servers: Measured[] };

const RESAMPLES = 500;

/** How many of `sorted` (ascending) are ≤ x. */
function countUpTo(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The p-th percentile (as `percentile` takes it) of the chosen blocks (all, by default) together, found by
 * bisecting on the value with each block's count below it: no merged copy of the blocks (500
 * readers make 75,000 latencies a block, and the interval below asks this a thousand times).
 */
function pooled(blocks: Float64Array[], p: number, chosen: number[] = blocks.map((_, i) => i)): number {
  const picked = chosen.map((b) => blocks[b]).filter((b) => b.length > 0);
  const total = picked.reduce((a, b) => a + b.length, 0);
  if (total === 0) return NaN;
  const rank = Math.min(total - 1, Math.floor((p / 100) * total)); // the answer has `rank` values before it
  let lo = Math.min(...picked.map((b) => b[0]));
  let hi = Math.max(...picked.map((b) => b[b.length - 1]));
  if (picked.reduce((a, b) => a + countUpTo(b, lo), 0) > rank) return lo;
  // Invariant: at most `rank` values are ≤ lo, more than `rank` are ≤ hi; hi ends on the value itself.
  for (let i = 0; i < 64 && lo < hi; i++) {
    const mid = lo + (hi - lo) / 2;
    if (mid === lo || mid === hi) break;
    if (picked.reduce((a, b) => a + countUpTo(b, mid), 0) > rank) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The 95 % interval of `ratio` over n blocks resampled with replacement (the same draw for both servers). */
function ratioInterval(n: number, ratio: (chosen: number[]) => number): [number, number] {
  const ratios: number[] = [];
  for (let r = 0; r < RESAMPLES; r++) ratios.push(ratio(Array.from({ length: n }, () => Math.floor(Math.random() * n))));
  ratios.sort((a, b) => a - b);
  return [percentile(ratios, 2.5), percentile(ratios, 97.5)];
}

/** The median of the chosen values (all, by default). */
function median(values: number[], chosen: number[] = values.map((_, i) => i)): number {
  return percentile(chosen.map((i) => values[i]).sort((a, b) => a - b), 50);
}

/** The scenarios in the order they ran: the fan-outs by reader count, then durable and many docs. */
function scenarios(servers: Measured[]): string[] {
  const names = new Set(servers.flatMap((s) => [...s.blocks.keys()]));
  const readers = [...names].filter((n) => n.startsWith('N=')).sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)));
  return [...readers, ...['durable', 'many docs'].filter((n) => names.has(n))];
}

/**
 * The tables of a run, or of runs pooled: the blocks of each server are paired by position
 * (block b of the first server with block b of each other one, which ran minutes apart at most),
 * so the runs pooled must list their blocks in the same order for every server.
 */
export function report(servers: Measured[], manyDocsLine: string): string {
  const ms = (v: number) => `${v.toFixed(2)} ms`;
  const [first] = servers;
  const out: string[] = [];
  out.push(`| scenario | server | samples | p50 | p99 | max | p99 of ${first.name} ÷ this one's (95 % interval) | blocks where ${first.name} has the lower p99 |`, '|---|---|---|---|---|---|---|---|');
  for (const scenario of scenarios(servers)) {
    const mine = first.blocks.get(scenario) ?? [];
    for (const server of servers) {
      const blocks = server.blocks.get(scenario) ?? [];
      const samples = blocks.reduce((a, b) => a + b.length, 0);
      let versus = '';
      let wins = '';
      if (server !== first && blocks.length && mine.length) {
        const n = Math.min(mine.length, blocks.length);
        const [low, high] = ratioInterval(n, (chosen) => pooled(mine, 99, chosen) / pooled(blocks, 99, chosen));
        const ratio = pooled(mine, 99) / pooled(blocks, 99);
        versus = `${ratio.toFixed(2)} (${low.toFixed(2)}–${high.toFixed(2)})`;
        const lower = Array.from({ length: n }, (_, b) => b).filter((b) => pooled(mine, 99, [b]) < pooled(blocks, 99, [b])).length;
        wins = `${lower} of ${n}`;
      }
      const max = Math.max(...blocks.map((b) => b[b.length - 1] ?? NaN));
      out.push(`| ${scenario} | ${server.name} | ${samples} | ${ms(pooled(blocks, 50))} | ${ms(pooled(blocks, 99))} | ${ms(max)} | ${versus} | ${wins} |`);
    }
  }
  if (first.connectMs.length > 0) {
    // The connect's wall time, and the CPU each part used meanwhile (medians over the blocks):
    // the server's own work is its CPU and PostgreSQL's, the clients' process is the same code
    // for both.
    const cpu = (server: Measured, part: keyof ConnectCpu | 'serverAndPostgres') =>
      server.connectCpu.map((c) => (part === 'serverAndPostgres' ? c.server + c.postgres : c[part]));
    const versusFirst = (server: Measured, values: (s: Measured) => number[]) => {
      const mine = values(first);
      const theirs = values(server);
      const n = Math.min(mine.length, theirs.length);
      if (server === first || n === 0) return { versus: '', wins: '' };
      const [low, high] = ratioInterval(n, (chosen) => median(mine, chosen) / median(theirs, chosen));
      return {
        versus: `${(median(mine) / median(theirs)).toFixed(2)} (${low.toFixed(2)}–${high.toFixed(2)})`,
        wins: `${mine.slice(0, n).filter((v, b) => v < theirs[b]).length} of ${n}`,
      };
    };
    out.push(
      '',
      manyDocsLine,
      '',
      `| server | median | slowest | median of ${first.name} ÷ this one's (95 % interval) | blocks where ${first.name} was faster | server CPU | PostgreSQL CPU | server + PostgreSQL, ${first.name} ÷ this one's | clients' CPU |`,
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const server of servers) {
      const wall = versusFirst(server, (s) => s.connectMs);
      const work = versusFirst(server, (s) => cpu(s, 'serverAndPostgres'));
      const ms = (values: number[]) => `${median(values).toFixed(0)} ms`;
      out.push(
        `| ${server.name} | ${ms(server.connectMs)} | ${Math.max(...server.connectMs).toFixed(0)} ms | ${wall.versus} | ${wall.wins} | ${ms(cpu(server, 'server'))} | ${ms(cpu(server, 'postgres'))} | ${work.versus} | ${ms(cpu(server, 'clients'))} |`,
      );
    }
  }
  const trouble = servers.flatMap((s) => (s.lost || s.reconnects ? [`- ${s.name}: ${s.lost} deliveries lost, ${s.reconnects} reconnects`] : []));
  out.push('', ...(trouble.length ? trouble : ['No delivery lost, no client reconnected.']));
  return out.join('\n');
}

/** Saves a run for pooling (latencies to the microsecond). */
export function saveRun(file: string, run: SavedRun): void {
  const servers = run.servers.map((s) => ({
    ...s,
    blocks: Object.fromEntries([...s.blocks].map(([scenario, blocks]) => [scenario, blocks.map((b) => Array.from(b, (v) => Math.round(v * 1000) / 1000))])),
  }));
  writeFileSync(file, JSON.stringify({ ...run, servers }));
}

/** A run saved by `saveRun`. */
export function loadRun(file: string): SavedRun {
  const run = JSON.parse(readFileSync(file, 'utf8')) as Omit<SavedRun, 'servers'> & { servers: (Omit<Measured, 'blocks'> & { blocks: Record<string, number[][]> })[] };
  return {
    ...run,
    servers: run.servers.map((s) => ({ ...s, blocks: new Map(Object.entries(s.blocks).map(([scenario, blocks]) => [scenario, blocks.map((b) => Float64Array.from(b))])) })),
  };
}
