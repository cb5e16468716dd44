// `node --import tsx bench/revisions.ts`: an entity with REVISIONS (default 10,000) revisions
// made through the real write path (a y-websocket client edits the ~50 KB page, then
// "Save revision" over HTTP), on PostgreSQL. Prints history, revision view and diff latency
// (p50/p99) and the storage bytes per revision.
import postgres from 'postgres';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { startApp } from '../tests/setup/app-server';
import { startPostgres } from '../tests/setup/postgres-server';
import { cpuShares, fetchOk, keepServerLog, machine, ms, sampleProcess, serverNodeArgs, signUpWithToken, timeIt } from './lib';

const REVISIONS = Number(process.env.REVISIONS ?? 10_000);
const PARAGRAPHS = 180; // a page of about 50 KB
const ROUNDS = Number(process.env.ROUNDS ?? 1000); // sequential requests per measurement: p99 is then the 10th-slowest, not the 2nd

const pg = await startPostgres();
const databaseUrl = pg.createDatabase('kb_bench_revisions');
const app = await startApp({ DATABASE_URL: databaseUrl, SEED: '0', SIGNUP_LIMIT: '1000', AUTO_REVISION_IDLE_MS: String(24 * 3600_000) }, {
  timeoutMs: 300_000,
  nodeArgs: serverNodeArgs(),
}).catch((err: unknown) => {
  pg.stop(); // a server that did not start (e.g. no build) must not leave PostgreSQL running
  throw err;
});
const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
try {
  const { cookie, token } = await signUpWithToken(app.url, 'benchwriter', 'bench writer password');
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const entity = (await (await fetch(`${app.url}/api/entities`, { method: 'POST', headers: auth, body: JSON.stringify({ type: 'event', title: 'Benchmark page' }) })).json()) as { id: string; slug: string };

  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${app.url.replace('http', 'ws')}/collab`, entity.id, doc, { WebSocketPolyfill: WebSocket as never, disableBc: true, params: { token } });
  await new Promise<void>((resolve) => provider.once('sync', (s: boolean) => s && resolve()));
  const body = doc.getXmlFragment('body');
  doc.transact(() => {
    body.delete(0, body.length);
    for (let i = 0; i < PARAGRAPHS; i++) {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(`Paragraph ${i}. ${'The delegations met at Genoa and signed at Rapallo; '.repeat(4)}`)]);
      body.insert(i, [p]);
    }
  });

  /** Saves a revision once the server has the latest edit (retrying while it reports no change). */
  async function save(summary: string): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const res = await fetch(`${app.url}/api/entities/${entity.id}/revisions`, { method: 'POST', headers: auth, body: JSON.stringify({ summary }) });
      if (res.status === 201) return void (await res.arrayBuffer());
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, 2));
    }
    throw new Error('the edit never reached the server');
  }

  const writeStarted = performance.now();
  await save('Benchmark content');
  for (let i = 0; i < REVISIONS - 2; i++) {
    // Edits alternate: a word is added to a paragraph, then taken out again, so the page stays ~50 KB.
    const text = (body.get(Math.floor(i / 2) % PARAGRAPHS) as Y.XmlElement).get(0) as Y.XmlText;
    if (i % 2 === 0) text.insert(0, `edit ${i} `);
    else text.delete(0, `edit ${i - 1} `.length);
    await save(`edit ${i}`);
    if ((i + 1) % 1000 === 0) console.log(`  ${i + 3} revisions written (${((performance.now() - writeStarted) / 1000).toFixed(0)} s)`);
  }
  const writeSeconds = (performance.now() - writeStarted) / 1000;
  provider.destroy();

  const ids = (await sql<{ id: string; number: number }[]>`select id, number from revisions where entity_id = ${entity.id} order by number`).map((r) => r.id);
  const random = () => ids[Math.floor(Math.random() * ids.length)];
  /** Times a row (see `timeIt`) and the server's CPU time per request over it, warm-up included. */
  async function row(rounds: number, fn: (i: number) => Promise<void>, warmup = 10) {
    const before = sampleProcess(app.child.pid!).cpuMs;
    const times = await timeIt(rounds, fn, warmup);
    return { ...times, cpu: (sampleProcess(app.child.pid!).cpuMs - before) / (rounds + warmup) };
  }
  const shares = cpuShares(); // over the measured rows
  const health = await row(ROUNDS, async () => void (await fetchOk(`${app.url}/api/health`)));
  const historyApi = await row(ROUNDS, async () => void (await fetchOk(`${app.url}/api/entities/${entity.id}/revisions?limit=50`)));
  const historyDeep = await row(ROUNDS, async () => void (await fetchOk(`${app.url}/api/entities/${entity.id}/revisions?limit=50&before=${1 + Math.floor(Math.random() * ids.length)}`)));
  // Pages are measured for a reader who is not signed in and for a signed-in one. Both are
  // served from the page cache while nothing they show has changed (the history page, a
  // revision viewed again; the signed-in reader from a copy of their own); the rows marked
  // "rendered" are first views, or ask with a query parameter the page does not read, which
  // the cache passes to Next.
  const signedIn = { cookie };
  const historyPage = await row(ROUNDS, async () => void (await fetchOk(`${app.url}/wiki/${entity.slug}/history`)));
  const historyPageSignedIn = await row(ROUNDS, async () => void (await fetchOk(`${app.url}/wiki/${entity.slug}/history`, signedIn)));
  const historyPageRendered = await row(ROUNDS, async (i) => void (await fetchOk(`${app.url}/wiki/${entity.slug}/history?render=${i}`, signedIn)));
  const viewApi = await row(ROUNDS, async () => void (await fetchOk(`${app.url}/api/revisions/${random()}`)));
  const viewPage = await row(ROUNDS, async () => void (await fetchOk(`${app.url}/revisions/${random()}`)));
  const popular = ids.slice(-20); // e.g. the revisions a class cites: each viewed many times
  // The warm-up views each of them once: the row is about views after the first.
  const viewPageAgain = await row(ROUNDS, async (i) => void (await fetchOk(`${app.url}/revisions/${popular[i % popular.length]}`)), popular.length);
  const viewPageSignedIn = await row(ROUNDS, async () => void (await fetchOk(`${app.url}/revisions/${random()}`, signedIn)));
  const diffApi = await row(ROUNDS, async () => void (await fetchOk(`${app.url}/api/revisions/${random()}/diff?against=${random()}`)));
  const [storage] = await sql<{ n: number; stored: number; table: number; page: number; keyframes: number; patchAvg: number }[]>`
    select count(*)::int as n,
      sum(coalesce(octet_length(snapshot), 0) + coalesce(octet_length(patch::text), 0))::int as stored,
      pg_total_relation_size('revisions')::int as table,
      max(size)::int as page,
      count(snapshot)::int as keyframes,
      avg(octet_length(patch::text)) filter (where patch is not null)::int as "patchAvg"
    from revisions where entity_id = ${entity.id}`;

  console.log(`\nMachine: ${machine()}; PostgreSQL ${pg.port ? '15 (local, fsync off)' : ''}`);
  console.log(`${storage.n} revisions of a ${(storage.page / 1024).toFixed(0)} KB page written through the socket + "Save revision" in ${writeSeconds.toFixed(0)} s (${((writeSeconds * 1000) / storage.n).toFixed(1)} ms each)`);
  console.log(`${ROUNDS} sequential requests per row, after 10 warm-up requests; while they ran: ${shares().text}`);
  console.log('| measurement | p50 | p99 | server CPU per request | target |');
  console.log('|---|---|---|---|---|');
  console.log(`| for scale: \`GET /api/health\` (one trivial query) | ${ms(health.p50)} | ${ms(health.p99)} | ${ms(health.cpu)} | |`);
  console.log(`| history, API, newest 50 | ${ms(historyApi.p50)} | ${ms(historyApi.p99)} | ${ms(historyApi.cpu)} | ≤ 20 ms |`);
  console.log(`| history, API, random page | ${ms(historyDeep.p50)} | ${ms(historyDeep.p99)} | ${ms(historyDeep.cpu)} | ≤ 20 ms |`);
  console.log(`| history page (HTML), not signed in (page cache) | ${ms(historyPage.p50)} | ${ms(historyPage.p99)} | ${ms(historyPage.cpu)} | ≤ 20 ms |`);
  console.log(`| history page (HTML), signed in (their own copy, page cache) | ${ms(historyPageSignedIn.p50)} | ${ms(historyPageSignedIn.p99)} | ${ms(historyPageSignedIn.cpu)} | ≤ 20 ms |`);
  console.log(`| history page (HTML), signed in, rendered each time | ${ms(historyPageRendered.p50)} | ${ms(historyPageRendered.p99)} | ${ms(historyPageRendered.cpu)} | ≤ 20 ms |`);
  console.log(`| revision view, API, random revision | ${ms(viewApi.p50)} | ${ms(viewApi.p99)} | ${ms(viewApi.cpu)} | ≤ 20 ms |`);
  console.log(`| revision view page (HTML), random revision, not signed in (nearly all first views: rendered) | ${ms(viewPage.p50)} | ${ms(viewPage.p99)} | ${ms(viewPage.cpu)} | ≤ 20 ms |`);
  console.log(`| revision view page (HTML), 20 revisions viewed again and again, not signed in (page cache) | ${ms(viewPageAgain.p50)} | ${ms(viewPageAgain.p99)} | ${ms(viewPageAgain.cpu)} | ≤ 20 ms |`);
  console.log(`| revision view page (HTML), random revision, signed in (nearly all first views: rendered) | ${ms(viewPageSignedIn.p50)} | ${ms(viewPageSignedIn.p99)} | ${ms(viewPageSignedIn.cpu)} | ≤ 20 ms |`);
  console.log(`| diff of two random 50 KB revisions, API | ${ms(diffApi.p50)} | ${ms(diffApi.p99)} | ${ms(diffApi.cpu)} | ≤ 50 ms |`);
  console.log(`\nStorage: ${(storage.stored / storage.n).toFixed(0)} content bytes per revision on average (${storage.keyframes} keyframes of ~${(storage.page / 1024).toFixed(0)} KB, patches ${storage.patchAvg} bytes on average); the whole table with indexes: ${(storage.table / storage.n).toFixed(0)} bytes per revision, for a ${(storage.page / 1024).toFixed(0)} KB page.`);
} finally {
  await sql.end();
  await app.stop();
  keepServerLog(app.output());
  pg.stop();
}

// Open handles (sockets in the bench client) would keep the process alive after the report.
process.exit(0);
