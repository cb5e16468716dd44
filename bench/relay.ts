// `node --import tsx bench/relay.ts`: two instances of our server on one PostgreSQL database
// (DESIGN.md, "Scale past one machine"). One writer on instance A; READERS real y-websocket
// clients on A and as many on B, all on one doc. Each edit carries its send time; prints the
// fan-out latency (receive − send) to readers on the writer's own instance and to those on the
// other, whose edits travel through the update log and LISTEN/NOTIFY.
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { startApp, type AppServer } from '../tests/setup/app-server';
import { startPostgres } from '../tests/setup/postgres-server';
import { machine, ms, percentile, serverNodeArgs, signUpWithToken } from './lib';

const READERS = Number(process.env.READERS ?? 10);
const EDITS = Number(process.env.EDITS ?? 1000);
const SPACING_MS = 7.5;

const pg = await startPostgres();
const databaseUrl = pg.createDatabase('kb_bench_relay');
const env = { DATABASE_URL: databaseUrl, SEED: '0', SIGNUP_LIMIT: '1000' };
const servers: AppServer[] = [];
const providers: WebsocketProvider[] = [];
try {
  for (let i = 0; i < 2; i++) servers.push(await startApp(env, { timeoutMs: 300_000, nodeArgs: serverNodeArgs() }));
  const [a, b] = servers;
  const { cookie, token } = await signUpWithToken(a.url, 'relaybench', 'relay bench password');
  const headers = { origin: a.url, 'content-type': 'application/json', cookie };
  const entity = (await (await fetch(`${a.url}/api/entities`, { method: 'POST', headers, body: JSON.stringify({ type: 'event', title: 'Relay bench' }) })).json()) as { id: string };

  const latencies = { same: [] as number[], other: [] as number[] };
  async function client(url: string, onEdit?: (sentAt: number) => void): Promise<Y.Doc> {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(`${url.replace('http', 'ws')}/collab`, entity.id, doc, { WebSocketPolyfill: WebSocket as never, disableBc: true, params: { token } });
    providers.push(provider);
    if (onEdit) doc.getArray<number>('bench').observe((event) => {
      const now = performance.now();
      for (const item of event.changes.added) for (const sentAt of item.content.getContent() as number[]) onEdit(now - sentAt);
    });
    await new Promise<void>((resolve) => provider.once('sync', (s: boolean) => s && resolve()));
    return doc;
  }
  const writer = await client(a.url);
  for (let i = 0; i < READERS; i++) {
    await client(a.url, (latency) => latencies.same.push(latency));
    await client(b.url, (latency) => latencies.other.push(latency));
  }
  const bench = writer.getArray<number>('bench');
  for (let i = 0; i < 20; i++) bench.push([performance.now()]); // warm-up
  await new Promise((r) => setTimeout(r, 1000));
  latencies.same.length = 0;
  latencies.other.length = 0;
  for (let i = 0; i < EDITS; i++) {
    bench.push([performance.now()]);
    await new Promise((r) => setTimeout(r, SPACING_MS));
  }
  const deadline = Date.now() + 30_000;
  while ((latencies.same.length < EDITS * READERS || latencies.other.length < EDITS * READERS) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

  console.log(`Machine: ${machine()}; PostgreSQL 15 (local, fsync off)`);
  console.log(`1 writer on instance A; ${READERS} readers on A and ${READERS} on B (real y-websocket clients); ${EDITS} edits ${SPACING_MS} ms apart\n`);
  console.log('| readers | deliveries | p50 | p99 | max |');
  console.log('|---|---|---|---|---|');
  for (const [label, values] of [['on the writer\'s instance (A)', latencies.same], ['on the other instance (B), through Postgres', latencies.other]] as const) {
    const sorted = [...values].sort((x, y) => x - y);
    console.log(`| ${label} | ${values.length} of ${EDITS * READERS} | ${ms(percentile(sorted, 50))} | ${ms(percentile(sorted, 99))} | ${ms(sorted.at(-1) ?? NaN)} |`);
  }
} finally {
  for (const p of providers) p.destroy();
  await Promise.all(servers.map((server) => server.stop()));
  pg.stop();
}
process.exit(0);
