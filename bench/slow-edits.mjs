// `node bench/slow-edits.mjs <server .cpuprofile> <BENCH_EDIT_LOG file> [run] [count]`: the
// slowest edits of one fan-out run of bench/collab.ts (its line `run` in the edit log, from 0)
// and what the server's main thread ran while each was in flight, by the function that used
// the time (the first frame of the project's own code in its stack, else the one it was in). A run made
// with BENCH_PROFILE_DIR and BENCH_EDIT_LOG: both use the monotonic clock. A window with no
// samples at all is time the process did not run (another process had the core).
import { readFileSync } from 'node:fs';

const OWN_CODE = /\s[\w-]+\.ts$/; // the project's own code is TypeScript (run by tsx); libraries are .js
const [profileFile, logFile, run = '1', count = '15'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(profileFile, 'utf8'));
const { target, readers, edits } = JSON.parse(readFileSync(logFile, 'utf8').trim().split('\n')[Number(run)]);
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parents = new Map(profile.nodes.flatMap((n) => (n.children ?? []).map((c) => [c, n.id])));
const frame = (id) => {
  const { functionName, url } = nodes.get(id).callFrame;
  return `${functionName || '(anonymous)'} ${url.split('/').at(-1)}`;
};
const stack = (id) => {
  const frames = [];
  for (let at = id; at !== undefined; at = parents.get(at)) frames.push(frame(at));
  return frames;
};
const samples = [];
for (let i = 0, t = profile.startTime; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i];
  samples.push({ t, id: profile.samples[i], ms: (profile.timeDeltas[i + 1] ?? 0) / 1000 });
}
const lastLatencies = edits.map((e) => e[2]).sort((a, b) => a - b);
console.log(`${target}, ${readers} readers, ${edits.length} edits: last delivery p50 ${lastLatencies[edits.length >> 1]} ms, p99 ${lastLatencies[Math.floor(edits.length * 0.99)]} ms`);
for (const [sentUs, first, last] of [...edits].sort((a, b) => b[2] - a[2]).slice(0, Number(count))) {
  const used = new Map();
  let busy = 0;
  for (const s of samples) {
    if (s.t < sentUs - 2000 || s.t > sentUs + last * 1000) continue;
    const name = nodes.get(s.id).callFrame.functionName;
    if (name === '(idle)') continue;
    const frames = stack(s.id);
    const key = name.startsWith('(') ? name : (frames.find((f) => OWN_CODE.test(f)) ?? frames[0]);
    used.set(key, (used.get(key) ?? 0) + s.ms);
    busy += s.ms;
  }
  console.log(`\nedit sent at ${((sentUs - profile.startTime) / 1e6).toFixed(3)} s: first reader ${first.toFixed(2)} ms, last ${last.toFixed(2)} ms; server busy ${busy.toFixed(1)} ms from 2 ms before`);
  for (const [key, ms] of [...used].sort((a, b) => b[1] - a[1]).slice(0, 5)) console.log(`  ${ms.toFixed(2)} ms  ${key}`);
}
