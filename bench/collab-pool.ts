// `node --import tsx bench/collab-pool.ts <run.json>…`: the report of collab-interleaved.ts over
// the blocks of several runs together (each saved with BENCH_BLOCKS_OUT=<run.json>).
//
// One interleaved run of 16 blocks puts a ratio of p99s within an interval some 0.3–0.6 wide,
// and runs of the same code an hour apart land either side of 1 (durable 0.80, then 1.16). Pooled,
// the blocks of several runs give one p99 per server and an interval that says whether the
// difference is more than the runs' scatter. Every run must have the same servers, in any order
// (runs with the order rotated pool into the first run's order); each block of the first server
// is paired with the same run's block of the others.
import { loadRun, report, type Measured } from './interleaved-report';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node --import tsx bench/collab-pool.ts <run.json>… (runs saved with BENCH_BLOCKS_OUT)');
  process.exit(2);
}
const runs = files.map(loadRun);
const names = runs[0].servers.map((s) => s.name);
for (const [i, run] of runs.entries()) {
  const byName = new Map(run.servers.map((s) => [s.name, s]));
  if (byName.size !== names.length || !names.every((name) => byName.has(name))) {
    throw new Error(`${files[i]}: servers ${run.servers.map((s) => s.name).join(', ')}, not ${names.join(', ')}`);
  }
  run.servers = names.map((name) => byName.get(name)!);
}

/** Each server's blocks of every run, run after run; a run where one server has fewer blocks of a scenario gives every server only that many. */
const pooled: Measured[] = names.map((name) => ({ name, blocks: new Map(), connectMs: [], connectCpu: [], lost: 0, reconnects: 0 }));
for (const run of runs) {
  const scenarios = new Set(run.servers.flatMap((s) => [...s.blocks.keys()]));
  for (const scenario of scenarios) {
    const n = Math.min(...run.servers.map((s) => s.blocks.get(scenario)?.length ?? 0));
    for (const [i, server] of run.servers.entries()) {
      const into = pooled[i].blocks.get(scenario) ?? [];
      into.push(...server.blocks.get(scenario)!.slice(0, n));
      pooled[i].blocks.set(scenario, into);
    }
  }
  const connects = Math.min(...run.servers.map((s) => s.connectMs.length));
  for (const [i, server] of run.servers.entries()) {
    pooled[i].connectMs.push(...server.connectMs.slice(0, connects));
    pooled[i].connectCpu.push(...server.connectCpu.slice(0, connects));
    pooled[i].lost += server.lost;
    pooled[i].reconnects += server.reconnects;
  }
}

const heading = runs.map((run, i) => `- ${files[i]}: code of ${run.commit}; ${run.machine}\n  ${run.setup}`);
console.log(
  [`${runs.length} runs pooled:`, ...heading, '', report(pooled, 'Many-docs connect (each block\'s time, and the CPU time used meanwhile: medians over the blocks of every run):')].join('\n'),
);
