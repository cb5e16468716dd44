import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import postgres from 'postgres';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { eventually, sleep } from '../helpers/collab';
import { startApp, type AppServer } from '../setup/app-server';
import { createPostgresDatabase } from '../helpers/database';

// Two instances of the app on one PostgreSQL database (DESIGN.md, "Scale past one machine"):
// A runs its collaboration server in the web process, B in a process of its own. PGlite has
// one process per data directory, so there is no such setup to test there.
const onPostgres = inject('databaseKind') === 'postgres';

let a: AppServer;
let b: AppServer;
let databaseUrl = '';
let sql: postgres.Sql;
let cookie = '';
let token = '';
const providers: WebsocketProvider[] = [];

const post = (app: AppServer, path: string, body: unknown) =>
  fetch(`${app.url}${path}`, { method: 'POST', headers: { origin: app.url, 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });

function connect(app: AppServer, entityId: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${app.url.replace('http', 'ws')}/collab`, entityId, doc, { WebSocketPolyfill: WebSocket as never, disableBc: true, params: { token }, maxBackoffTime: 300 });
  providers.push(provider);
  const synced = new Promise<void>((resolve) => provider.once('sync', (s: boolean) => s && resolve()));
  return { doc, provider, synced, names: () => [...provider.awareness.getStates().values()].map((s) => (s as { user?: { name: string } }).user?.name).filter(Boolean).sort() };
}

async function newEntity(title: string): Promise<string> {
  const res = await post(a, '/api/entities', { type: 'event', title });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe.skipIf(!onPostgres)('two instances on one PostgreSQL database', () => {
  beforeAll(async () => {
    databaseUrl = await createPostgresDatabase();
    // Started at the same moment on an empty database: both migrate and seed it.
    const started = await Promise.allSettled([
      startApp({ DATABASE_URL: databaseUrl, COLLAB_PROCESS: '0' }, { timeoutMs: 120_000 }),
      startApp({ DATABASE_URL: databaseUrl, COLLAB_PROCESS: '1' }, { timeoutMs: 120_000 }),
    ]);
    [a, b] = started.map((s) => (s.status === 'fulfilled' ? s.value : (undefined as unknown as AppServer)));
    for (const s of started) if (s.status === 'rejected') throw s.reason; // afterAll stops the one that started
    sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    const signup = await post(a, '/api/auth/signup', { username: 'twoinstances', password: 'two instances password' });
    cookie = (signup.headers.get('set-cookie') ?? '').split(';')[0];
    token = ((await (await post(b, '/api/tokens', { name: 'relay' })).json()) as { token: string }).token;
  }, 180_000);

  afterAll(async () => {
    for (const p of providers) p.destroy();
    await sql?.end();
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('start together on an empty database: one migrates and seeds, the other waits and finds it done', async () => {
    expect(a.output()).toContain('Ready on');
    expect(b.output()).toContain('Ready on');
    const [seeded] = await sql<{ n: number; slugs: number; firsts: number }[]>`
      select count(*)::int as n, count(distinct slug)::int as slugs, (select count(*)::int from revisions where number = 1) as firsts from entities`;
    expect(seeded.n).toBeGreaterThan(20);
    expect(seeded.slugs).toBe(seeded.n);
    expect(seeded.firsts).toBe(seeded.n);
    expect(`${a.output()}\n${b.output()}`).toContain('already present; nothing to do');
  });

  it('count failed sign-ins from one address together: the limit holds across instances', async () => {
    await post(a, '/api/auth/signup', { username: 'guessedat', password: 'the right password' });
    const statuses: number[] = [];
    // LOGIN_FAILURE_LIMIT is 10 (the default): 5 failures through each instance use it up.
    for (let i = 0; i < 12; i++) statuses.push((await post(i % 2 ? b : a, '/api/auth/login', { username: 'guessedat', password: `guess ${i}` })).status);
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
    expect((await post(a, '/api/auth/login', { username: 'guessedat', password: 'the right password' })).status).toBe(429);
    expect((await post(b, '/api/auth/login', { username: 'guessedat', password: 'the right password' })).status).toBe(429);
  });

  it('an edit through either instance reaches the clients of the other, and each is stored once', async () => {
    const id = await newEntity('Relayed event');
    const onA = connect(a, id);
    const onB = connect(b, id);
    await Promise.all([onA.synced, onB.synced]);
    onA.doc.getArray('log').push(['from-a']);
    onB.doc.getArray('log').push(['from-b']);
    onB.doc.getMap('fields').set('place', 'Genoa');
    await eventually(() => {
      for (const c of [onA, onB]) {
        expect([...(c.doc.getArray('log').toJSON() as string[])].sort()).toEqual(['from-a', 'from-b']);
        expect(c.doc.getMap('fields').get('place')).toBe('Genoa');
      }
    });
    // A paste too big to travel in the notification: B reads it from the log.
    const pasted = 'Rapallo, 16 April 1922. '.repeat(400);
    onA.doc.getMap('fields').set('summary', pasted);
    await eventually(() => expect(onB.doc.getMap('fields').get('summary')).toBe(pasted));
    // A's only client leaves (A saves and compacts the doc) while B's goes on editing.
    onA.provider.destroy();
    await sleep(300);
    for (let i = 0; i < 20; i++) onB.doc.getArray('log').push([`b-${i}`]);
    await sleep(300);
    const later = connect(a, id);
    await later.synced;
    const log = later.doc.getArray('log').toJSON() as string[];
    expect(log).toHaveLength(22);
    expect(new Set(log).size).toBe(22);
    // And it goes on live in both directions with the doc opened again on A.
    later.doc.getArray('log').push(['from-a-again']);
    await eventually(() => expect(onB.doc.getArray('log').toJSON()).toContain('from-a-again'));
  });

  it('an instance started later joins in: edits through the others reach its clients, and its clients\' edits reach theirs', async () => {
    const id = await newEntity('Joined event');
    const onA = connect(a, id);
    await onA.synced;
    onA.doc.getArray('log').push(['before-c']);
    const c = await startApp({ DATABASE_URL: databaseUrl, SEED: '0' }, { timeoutMs: 120_000 });
    try {
      const onC = connect(c, id);
      await onC.synced;
      expect(onC.doc.getArray('log').toJSON()).toEqual(['before-c']);
      onA.doc.getArray('log').push(['from-a']);
      onC.doc.getArray('log').push(['from-c']);
      await eventually(() => {
        for (const client of [onA, onC]) expect([...(client.doc.getArray('log').toJSON() as string[])].sort()).toEqual(['before-c', 'from-a', 'from-c']);
      });
      onC.provider.destroy();
    } finally {
      await c.stop();
    }
  });

  it('carets and presence cross instances: those already there, new ones, and leaving', async () => {
    const id = await newEntity('Presence event');
    const ann = connect(a, id);
    await ann.synced;
    ann.provider.awareness.setLocalStateField('user', { name: 'Ann', color: '#0a6' });
    await sleep(200);
    const bob = connect(b, id); // Ann was there first: B opens the doc and asks A who is on it
    await bob.synced;
    bob.provider.awareness.setLocalStateField('user', { name: 'Bob', color: '#a06' });
    await eventually(() => expect(bob.names()).toEqual(['Ann', 'Bob']));
    await eventually(() => expect(ann.names()).toEqual(['Ann', 'Bob']));
    ann.provider.destroy();
    await eventually(() => expect(bob.names()).toEqual(['Bob']));
  });

  it('presence of a whole class on one instance reaches a newcomer on the other (more than one notification holds)', async () => {
    const id = await newEntity('Classroom event');
    const names = Array.from({ length: 40 }, (_, i) => `Student ${String(i).padStart(2, '0')} of the comparative foreign policy seminar`);
    const students = names.map(() => connect(a, id));
    await Promise.all(students.map((s) => s.synced));
    // About 150 bytes of state each, as the editor's name, colour and caret make: ~8 KB in all.
    students.forEach((s, i) => s.provider.awareness.setLocalState({ user: { name: names[i], color: '#0a6' }, cursor: { anchor: 'x'.repeat(40), head: 'x'.repeat(40) } }));
    await eventually(() => expect(students[0].names()).toHaveLength(40));
    const teacher = connect(b, id); // B opens the doc and asks A who is on it
    await teacher.synced;
    await eventually(() => expect(teacher.names()).toEqual([...names].sort()));
    for (const s of students) s.provider.destroy();
    await eventually(() => expect(teacher.names()).toEqual([]));
    teacher.provider.destroy();
  });

  it('one client’s presence too big for a notification crosses in pieces, and is kept up to date', async () => {
    const id = await newEntity('Large presence event');
    const ann = connect(a, id);
    const bob = connect(b, id);
    await Promise.all([ann.synced, bob.synced]);
    bob.provider.awareness.setLocalStateField('user', { name: 'Bob', color: '#a06' });
    // ~20 KB of state: three pieces (one notification holds under 8,000 bytes).
    const notes = (word: string) => Array.from({ length: 400 }, (_, i) => `${word} ${i} of the seminar notes`).join('; ');
    const annState = (word: string) => ({ user: { name: 'Ann', color: '#0a6' }, notes: notes(word) });
    ann.provider.awareness.setLocalState(annState('first'));
    const annOnB = () => [...bob.provider.awareness.getStates().values()].find((s) => (s as { user?: { name: string } }).user?.name === 'Ann') as { notes?: string } | undefined;
    await eventually(() => expect(annOnB()?.notes).toBe(notes('first')));
    ann.provider.awareness.setLocalState(annState('second'));
    await eventually(() => expect(annOnB()?.notes).toBe(notes('second')));
    // Over the cap (~48 KB of state) it is not relayed, and smaller presence still is.
    ann.provider.awareness.setLocalState({ ...annState('third'), notes: 'x'.repeat(60_000) });
    bob.provider.awareness.setLocalStateField('user', { name: 'Bobby', color: '#a06' });
    await eventually(() => expect(ann.names()).toEqual(['Ann', 'Bobby']));
    expect(annOnB()?.notes).toBe(notes('second'));
    ann.provider.destroy();
    await eventually(() => expect(bob.names()).toEqual(['Bobby']));
    bob.provider.destroy();
  });

  it('a token revoked through one instance closes its sockets on the other', async () => {
    const id = await newEntity('Revocation event');
    const made = (await (await post(a, '/api/tokens', { name: 'short-lived' })).json()) as { id: string; token: string };
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(`${b.url.replace('http', 'ws')}/collab`, id, doc, { WebSocketPolyfill: WebSocket as never, disableBc: true, params: { token: made.token }, maxBackoffTime: 300 });
    providers.push(provider);
    const closed = new Promise<number>((resolve) => provider.once('connection-close', (event: { code: number } | null) => resolve(event?.code ?? 0)));
    await new Promise<void>((resolve) => provider.once('sync', (s: boolean) => s && resolve()));
    const revoked = await fetch(`${a.url}/api/tokens/${made.id}`, { method: 'DELETE', headers: { origin: a.url, cookie } });
    expect(revoked.status).toBe(204);
    expect(await closed).toBe(4401);
    provider.destroy();
  });

  it('the automatic revision on leave waits for the last client of the doc on any instance', async () => {
    const id = await newEntity('Handed-over event');
    const revisions = () => sql<{ id: string; number: number; kind: string; authors: { username: string }[] }[]>`
      select id, number, kind, authors from revisions where entity_id = ${id} order by number`;
    const [created] = await revisions();
    // Ann's instance makes automatic revisions after 1 s without edits, so a timer it left running would show.
    const c = await startApp({ DATABASE_URL: databaseUrl, SEED: '0', AUTO_REVISION_IDLE_MS: '1000' }, { timeoutMs: 120_000 });
    try {
      const ann = connect(c, id);
      await ann.synced;
      ann.doc.getMap('fields').set('place', 'Genoa'); // before B opens the doc: B loads this edit, it is not relayed
      await sleep(200);
      const bob = connect(b, id);
      await bob.synced;
      bob.provider.awareness.setLocalStateField('user', { name: 'Bob', color: '#a06' }); // as the editor does
      await eventually(() => expect(ann.names()).toEqual(['Bob'])); // C knows Bob is there
      ann.provider.destroy();
      await sleep(1500);
      expect(await revisions()).toHaveLength(1); // Bob is still on the page: no revision yet
      bob.provider.destroy(); // the last client leaves: B records Ann's edit (it made none of its own)
    } finally {
      await c.stop();
    }
    const [, auto] = await eventually(async () => {
      const rows = await revisions();
      expect(rows).toHaveLength(2);
      return rows;
    });
    expect(created.number).toBe(1);
    expect(auto).toMatchObject({ number: 2, kind: 'auto', authors: [{ username: 'twoinstances' }] });
    const stored = (await (await fetch(`${a.url}/api/revisions/${auto.id}`)).json()) as { json: { fields: Record<string, unknown> } };
    expect(stored.json.fields.place).toBe('Genoa');
  });

  it('when the last clients on two instances leave together, one automatic revision records what both typed', async () => {
    const id = await newEntity('Left-together event');
    const revisions = () => sql<{ id: string; kind: string }[]>`select id, kind from revisions where entity_id = ${id} order by number`;
    const ann = connect(a, id);
    const bob = connect(b, id);
    await Promise.all([ann.synced, bob.synced]);
    ann.provider.awareness.setLocalStateField('user', { name: 'Ann', color: '#06a' });
    bob.provider.awareness.setLocalStateField('user', { name: 'Bob', color: '#a06' });
    ann.doc.getMap('fields').set('place', 'Genoa');
    bob.doc.getMap('fields').set('outcome', 'Treaty signed');
    await eventually(() => {
      expect(ann.names()).toEqual(['Ann', 'Bob']);
      expect(bob.names()).toEqual(['Ann', 'Bob']);
      expect(ann.doc.getMap('fields').get('outcome')).toBe('Treaty signed');
      expect(bob.doc.getMap('fields').get('place')).toBe('Genoa');
    });
    // Both connections drop at once (the end of a class: laptops shut), with no goodbye: as each
    // instance sees its own client go, the other's is still on the page, so each hands the edits over.
    for (const { provider } of [ann, bob]) provider.shouldConnect = false;
    for (const { provider } of [ann, bob]) (provider.ws as unknown as WebSocket).terminate();
    const [, auto] = await eventually(async () => {
      const rows = await revisions();
      expect(rows).toHaveLength(2);
      return rows;
    });
    expect(auto.kind).toBe('auto');
    const stored = (await (await fetch(`${a.url}/api/revisions/${auto.id}`)).json()) as { json: { fields: Record<string, unknown> } };
    expect(stored.json.fields).toMatchObject({ place: 'Genoa', outcome: 'Treaty signed' });
    await sleep(1000);
    expect(await revisions()).toHaveLength(2); // one revision, not one per instance
  });

  it('"Save revision" and restore through one instance act on what was typed through the other', async () => {
    const id = await newEntity('Restored event');
    const editor = connect(a, id);
    const watcher = connect(b, id); // B has the doc open too, so its copy is the one saved
    await Promise.all([editor.synced, watcher.synced]);
    editor.doc.getMap('fields').set('place', 'Genoa');
    await sleep(100);
    const saved = await post(b, `/api/entities/${id}/revisions`, { summary: 'Place set' });
    expect(saved.status).toBe(201);
    const { revision } = (await saved.json()) as { revision: { id: string } };
    const stored = (await (await fetch(`${b.url}/api/revisions/${revision.id}`)).json()) as { json: { fields: Record<string, unknown> } };
    expect(stored.json.fields.place).toBe('Genoa');

    editor.doc.getMap('fields').set('place', 'Rapallo');
    await eventually(() => expect(watcher.doc.getMap('fields').get('place')).toBe('Rapallo'));
    expect((await post(a, `/api/entities/${id}/revisions`, { summary: 'Place changed' })).status).toBe(201);
    expect((await post(b, `/api/entities/${id}/restore`, { revisionId: revision.id })).status).toBe(201);
    await eventually(() => expect(editor.doc.getMap('fields').get('place')).toBe('Genoa'));
  });
});
