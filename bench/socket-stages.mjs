// `node bench/socket-stages.mjs <BENCH_EDIT_LOG file> <run> <BENCH_SOCKET_LOG files…>`: where the
// time of each edit of one fan-out run of bench/collab.ts went, from the socket logs of the
// server's processes (the files of every process of the run can be given: the server's is the
// one with the most writes from one local port). Stages, all on the monotonic clock: the bench
// sends → the server reads it (`in`) → the server has handed it to the first reader's socket
// (`firstWrite`) and to every reader's (`server`) → the bench has handled the last delivery
// (`out`: the kernel, and the bench process's own delays). `db`: from the read to the first
// write to PostgreSQL after it. Prints each stage's p50 and p99 over the run's edits, and the
// stages of the slowest edits.
import { readFileSync } from 'node:fs';
import { firstAtOrAfter } from './socket-log.mjs';

const [logFile, run, ...socketFiles] = process.argv.slice(2);
const { target, readers, edits } = JSON.parse(readFileSync(logFile, 'utf8').trim().split('\n')[Number(run)]);
const from = edits[0][0] - 100_000;
const to = edits.at(-1)[0] + 200_000;
const files = socketFiles.map((file) => ({
  file,
  events: readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split(' ')).map(([t, k, local, remote, bytes]) => ({ t: Number(t), k, local: Number(local), remote: Number(remote), bytes: Number(bytes) })).filter((e) => e.t >= from && e.t <= to),
}));
const mostCommon = (values) => {
  const counts = new Map();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0] ?? [undefined, 0];
};
// The server's file: most writes from one local port (its listening port).
const scored = files.map((f) => ({ ...f, top: mostCommon(f.events.filter((e) => e.k === 'w').map((e) => e.local)) })).sort((a, b) => b.top[1] - a.top[1]);
const server = scored[0];
const serverPort = server.top[0];
const [writerPort] = mostCommon(server.events.filter((e) => e.k === 'r' && e.local === serverPort).map((e) => e.remote));
const readerPorts = [...new Set(server.events.filter((e) => e.k === 'w' && e.local === serverPort && e.remote !== writerPort).map((e) => e.remote))];
const byPort = (events, kind, key) => {
  const m = new Map();
  for (const e of events) if (e.k === kind) (m.get(e[key]) ?? m.set(e[key], []).get(e[key])).push(e.t);
  return m;
};
const serverReads = byPort(server.events.filter((e) => e.local === serverPort), 'r', 'remote').get(writerPort);
const serverWrites = byPort(server.events.filter((e) => e.local === serverPort), 'w', 'remote');
const dbWrites = server.events.filter((e) => e.k === 'w' && e.local !== serverPort).map((e) => e.t);
console.log(`${target}, ${readers} readers, ${edits.length} edits; server file ${server.file} (port ${serverPort}); writer ${writerPort}, ${readerPorts.length} readers`);
const rows = edits.map(([sent, , last]) => {
  const read = firstAtOrAfter(serverReads, sent);
  const written = readerPorts.map((p) => firstAtOrAfter(serverWrites.get(p), read));
  const db = firstAtOrAfter(dbWrites, read);
  const delivered = sent + last * 1000;
  return { sent, last, in: read - sent, server: Math.max(...written) - read, firstWrite: Math.min(...written) - read, out: delivered - Math.max(...written), db: db - read };
});
const ms = (us) => (Number.isFinite(us) ? (us / 1000).toFixed(2) : '–');
const pct = (key, q) => {
  const v = rows.map((r) => r[key]).filter(Number.isFinite).sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.floor(v.length * q))];
};
const stages = ['in', 'firstWrite', 'server', 'out', 'db'];
console.log(`stage        p50 ms   p99 ms`);
console.log(`last         ${ms(pct('last', 0.5) * 1000)}     ${ms(pct('last', 0.99) * 1000)}`);
for (const s of stages) console.log(`${s.padEnd(12)} ${ms(pct(s, 0.5))}     ${ms(pct(s, 0.99))}`);
console.log(`\nslowest edits (ms): last = in + server + out`);
console.log(['t (s)', 'last', ...stages].join('\t'));
for (const r of [...rows].sort((a, b) => b.last - a.last).slice(0, Number(process.env.COUNT ?? 15))) {
  console.log([((r.sent - edits[0][0]) / 1e6).toFixed(2), r.last.toFixed(2), ...stages.map((s) => ms(r[s]))].join('\t'));
}
