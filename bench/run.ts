// `npm run bench`: read-path latency of the seeded wiki, on the embedded database and on a
// real PostgreSQL in the same run. Prints p50/p99 per endpoint and the Postgres/PGlite ratio.
import { startApp, type AppServer } from '../tests/setup/app-server';
import { cpuShares, fetchOk, machine, timeIt } from './lib';
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

function measure(app: AppServer, path: string) {
  return timeIt(ROUNDS, async () => void (await fetchOk(app.url + path)));
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
  const shares = cpuShares();
  const pglite = await run('PGlite', { DATABASE_URL: '' });
  const postgres = await run('PostgreSQL', { DATABASE_URL: pg.createDatabase('kb_bench') });
  console.log(`Machine: ${machine()}; ${ROUNDS} sequential requests per endpoint; ${shares().text}`);
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
