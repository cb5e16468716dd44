// `npm run bench`: read-path latency of the seeded wiki, on the embedded database and on a
// real PostgreSQL in the same run. Prints p50/p99 per endpoint and the Postgres/PGlite ratio.
import { cpus, totalmem } from 'node:os';
import { startApp, type AppServer } from '../tests/setup/app-server';
import { startPostgres } from '../tests/setup/postgres-server';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const PATHS = [
  ['entity JSON', '/api/entities/mikhail-borodin'],
  ['entity page', '/wiki/mikhail-borodin'],
  ['search (alias)', '/api/search?q=Zinovyev'],
  ['search (typo)', '/api/search?q=Borodn'],
  ['search (full text)', '/api/search?q=Wu-han%20cities'],
  ['type index', '/people'],
  ['timeline', '/timeline'],
  ['source page', '/sources/istomin-foreign-interference'],
] as const;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(app: AppServer, path: string) {
  for (let i = 0; i < 10; i++) await (await fetch(app.url + path)).arrayBuffer(); // warm up
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    const res = await fetch(app.url + path);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

async function run(label: string, env: Record<string, string>) {
  const started = performance.now();
  const app = await startApp(env, { timeoutMs: 300_000 });
  const startup = performance.now() - started;
  const results: Record<string, { p50: number; p99: number }> = {};
  try {
    for (const [name, path] of PATHS) results[name] = await measure(app, path);
  } finally {
    await app.stop();
  }
  return { label, startup, results };
}

const pg = await startPostgres();
try {
  const pglite = await run('PGlite', { DATABASE_URL: '' });
  const postgres = await run('PostgreSQL', { DATABASE_URL: pg.createDatabase('kb_bench') });
  console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${ROUNDS} sequential requests per endpoint`);
  console.log(`Cold start incl. migrate + seed: PGlite ${(pglite.startup / 1000).toFixed(1)} s, PostgreSQL ${(postgres.startup / 1000).toFixed(1)} s`);
  console.log('| endpoint | PGlite p50 | PGlite p99 | PostgreSQL p50 | PostgreSQL p99 | p99 ratio PG/PGlite |');
  console.log('|---|---|---|---|---|---|');
  for (const [name] of PATHS) {
    const a = pglite.results[name];
    const b = postgres.results[name];
    console.log(`| ${name} | ${a.p50.toFixed(1)} ms | ${a.p99.toFixed(1)} ms | ${b.p50.toFixed(1)} ms | ${b.p99.toFixed(1)} ms | ${(b.p99 / a.p99).toFixed(2)} |`);
  }
} finally {
  pg.stop();
}
