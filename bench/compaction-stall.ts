// `node --import tsx bench/compaction-stall.ts` (`npm run bench:compaction`): how long an editor's
// write waits while another page's log is compacted, on PGlite (the default, one connection) and
// on PostgreSQL. Page A gets BENCH_LOG_ROWS logged edits (a long-typed page; its snapshot holds
// BENCH_PAGE_WORDS words); then, BENCH_ROUNDS times, A is compacted while page B's editor logs
// an edit every millisecond, each write timed from its append to its commit. Reports each
// database's write latency during the compactions (p50, p99, max), how late a 1 ms timer fires
// meanwhile (the event loop held up), and the compactions' own time. PostgreSQL runs twice: as
// the server compacts there (on the worker thread, with a connection of its own), then with the
// reads and writes on the main thread, as on PGlite.
// Run it in an older checkout (the file copied there) to compare code.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { openDatabase, type Database } from '../db/client';
import { entities, entityDocs } from '../db/schema';
import { compactEntity, createUpdateLog } from '../server/collab/update-log';
import { endBackgroundCompactions } from '../server/collab/background-merge';
import { startPostgres } from '../tests/setup/postgres-server';
import { machineLine, sleep } from './collab-lib';
import { percentile } from './lib';

const LOG_ROWS = Number(process.env.BENCH_LOG_ROWS ?? 1000);
const PAGE_WORDS = Number(process.env.BENCH_PAGE_WORDS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);

/** A new page whose stored doc holds `words` words; its id and live doc. */
async function page(database: Database, words: number): Promise<{ entityId: string; doc: Y.Doc }> {
  const [row] = await database.db.insert(entities).values({ slug: `stall-${Date.now()}-${Math.random()}`, type: 'event', title: 'Stall' }).returning();
  const doc = new Y.Doc();
  const body = doc.getText('body');
  for (let i = 0; i < words; i++) body.insert(body.length, `word${i} `);
  const state = Y.encodeStateAsUpdate(doc);
  await database.db.insert(entityDocs).values({ entityId: row.id, state, stateVector: Y.encodeStateVectorFromUpdate(state) });
  return { entityId: row.id, doc };
}

/** One typed character of `doc`, as the update an editor sends. */
function typeOne(doc: Y.Doc): Uint8Array {
  const before = Y.encodeStateVector(doc);
  const body = doc.getText('body');
  body.insert(body.length, 'x');
  return Y.encodeStateAsUpdate(doc, before);
}

async function measure(database: Database, databaseUrl?: string): Promise<Measured> {
  const log = createUpdateLog(database.db);
  const a = await page(database, PAGE_WORDS);
  const b = await page(database, 100);
  const writes: number[] = [];
  const compactions: number[] = [];
  const lateness: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await Promise.all(Array.from({ length: LOG_ROWS }, () => log.append(a.entityId, typeOne(a.doc), null)));
    await log.append(b.entityId, typeOne(b.doc), null); // B's write is warm
    let compacting = true;
    const started = performance.now();
    const stopProbe = probeEventLoop(lateness);
    const compaction = compactEntity(database.db, a.entityId, null, { databaseUrl }).finally(() => {
      stopProbe();
      compacting = false;
      compactions.push(performance.now() - started);
    });
    while (compacting) {
      const sent = performance.now();
      await log.append(b.entityId, typeOne(b.doc), null);
      writes.push(performance.now() - sent);
      await sleep(1);
    }
    await compaction;
  }
  lateness.sort((x, y) => x - y);
  return { writes, compactions, loopP99: percentile(lateness, 99), loopMax: lateness.at(-1) ?? 0 };
}

/**
 * Records in `lateness` how late a 1 ms timer fires, each time, until the returned function is
 * called: what anything else on the event loop (other docs' edits) would wait.
 */
function probeEventLoop(lateness: number[]): () => void {
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    lateness.push(Math.max(0, now - last - 1));
    last = now;
  }, 1);
  return () => clearInterval(timer);
}

/** B's write times, the compactions' times, and how late a 1 ms timer fired during the compactions (p99, max). */
type Measured = { writes: number[]; compactions: number[]; loopP99: number; loopMax: number };

const line = (name: string, { writes, compactions, loopP99, loopMax }: Measured) => {
  const ms = (v: number) => `${v.toFixed(2)} ms`;
  const sorted = [...writes].sort((x, y) => x - y);
  const c = [...compactions].sort((x, y) => x - y);
  return `| ${name} | ${writes.length} | ${ms(percentile(sorted, 50))} | ${ms(percentile(sorted, 99))} | ${ms(sorted.at(-1)!)} | ${ms(loopP99)} | ${ms(loopMax)} | ${ms(percentile(c, 50))} | ${ms(c.at(-1)!)} |`;
};

const pg = await startPostgres();
try {
  console.log(await machineLine(pg));
  console.log(`\n${ROUNDS} compactions of a page of ${PAGE_WORDS} words with ${LOG_ROWS} logged edits; meanwhile another page's editor writes an edit every 1 ms.\n`);
  console.log('| database | writes | write p50 | write p99 | write max | timer lateness p99 | timer lateness max | compaction p50 | compaction max |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  const dataDir = mkdtempSync(join(tmpdir(), 'kb-bench-stall-'));
  try {
    const pglite = await openDatabase({ dataDir });
    console.log(line('PGlite', await measure(pglite)));
    await pglite.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  // As the server compacts on PostgreSQL (on the worker, with a connection of its own), then as on PGlite (only the merge on the worker).
  const databaseUrl = pg.createDatabase('kb_bench_stall');
  const postgres = await openDatabase({ databaseUrl, dataDir: '' });
  console.log(line('PostgreSQL, compacting on the worker', await measure(postgres, databaseUrl)));
  await endBackgroundCompactions();
  console.log(line('PostgreSQL, reading and writing on the main thread', await measure(postgres)));
  await postgres.close();
} finally {
  pg.stop();
}
