import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import postgres from 'postgres';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { eventually, sleep, tables, type SavedNode } from '../helpers/collab';
import { startApp, type AppServer } from '../setup/app-server';
import { createPostgresDatabase } from '../helpers/database';
import { userColor } from '@/components/model/user-color';

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
/** A second person's token, and both names (presence shows each connection's own user). */
let otherToken = '';
const [firstName, secondName] = ['twoinstances', 'secondperson'];
const providers: WebsocketProvider[] = [];

const post = (app: AppServer, path: string, body: unknown) =>
  fetch(`${app.url}${path}`, { method: 'POST', headers: { origin: app.url, 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });

function connect(app: AppServer, entityId: string, as = token) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${app.url.replace('http', 'ws')}/collab`, entityId, doc, { WebSocketPolyfill: WebSocket as never, disableBc: true, params: { token: as }, maxBackoffTime: 300 });
  providers.push(provider);
  const synced = new Promise<void>((resolve) => provider.once('sync', (s: boolean) => s && resolve()));
  return { doc, provider, synced, names: () => [...provider.awareness.getStates().values()].map((s) => (s as { user?: { name: string } }).user?.name).filter(Boolean).sort() };
}

/** A new entity whose body a client on A begins with a table of three rows of three cells, and a client on B (another person) that has it too. */
async function tableOnBoth(title: string) {
  const id = await newEntity(title);
  const onA = connect(a, id);
  const onB = connect(b, id, otherToken);
  await Promise.all([onA.synced, onB.synced]);
  const table = new Y.XmlElement('table');
  table.insert(0, [tables.row(3), tables.row(3), tables.row(3)]);
  onA.doc.getXmlFragment('body').insert(0, [table]);
  await eventually(() => expect(tables.widths(onB.doc)).toEqual([3, 3, 3]));
  return { id, onA, onB };
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
    const signup = await post(a, '/api/auth/signup', { username: firstName, password: 'two instances password' });
    cookie = (signup.headers.get('set-cookie') ?? '').split(';')[0];
    token = ((await (await post(b, '/api/tokens', { name: 'relay' })).json()) as { token: string }).token;
    const second = await fetch(`${b.url}/api/auth/signup`, { method: 'POST', headers: { origin: b.url, 'content-type': 'application/json' }, body: JSON.stringify({ username: secondName, password: 'a second person password' }) });
    const secondCookie = (second.headers.get('set-cookie') ?? '').split(';')[0];
    const made = await fetch(`${b.url}/api/tokens`, { method: 'POST', headers: { origin: b.url, 'content-type': 'application/json', cookie: secondCookie }, body: JSON.stringify({ name: 'relay' }) });
    otherToken = ((await made.json()) as { token: string }).token;
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
        expect(c.doc.getMap('fields').toJSON().place).toBe('Genoa');
      }
    });
    // A paste too big to travel in the notification: B reads it from the log.
    const pasted = 'Rapallo, 16 April 1922. '.repeat(400);
    onA.doc.getMap('fields').set('summary', pasted);
    await eventually(() => expect(onB.doc.getMap('fields').toJSON().summary).toBe(pasted));
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

  it('an edit the database refused at first, saved from the doc itself once it answers, reaches the clients of the other instance', async () => {
    const id = await newEntity('Refused then saved');
    const onA = connect(a, id);
    const onB = connect(b, id, otherToken);
    await Promise.all([onA.synced, onB.synced]);
    onA.doc.getArray('log').push(['logged']);
    await eventually(() => expect(onB.doc.getArray('log').toJSON()).toEqual(['logged']));
    // The log refuses A's next write: A keeps the edit in its doc and writes the doc itself at the next pause.
    await sql.unsafe(`create function refuse_log() returns trigger language plpgsql as $$ begin raise exception 'the log refuses writes (test)'; end $$;
      create trigger refuse_log before insert on entity_updates for each row execute function refuse_log()`);
    try {
      onA.doc.getArray('log').push(['refused, then saved']);
      await eventually(async () => {
        const [{ state }] = await sql<{ state: Buffer }[]>`select state from entity_docs where entity_id = ${id}`;
        const stored = new Y.Doc();
        Y.applyUpdate(stored, state);
        expect(stored.getArray('log').toJSON()).toEqual(['logged', 'refused, then saved']);
      }, 10_000);
    } finally {
      await sql.unsafe('drop trigger refuse_log on entity_updates; drop function refuse_log()');
    }
    await eventually(() => expect(onB.doc.getArray('log').toJSON()).toEqual(['logged', 'refused, then saved']));
    // Not only a new client on B: the one there all along has it, and so does B's doc.
    const later = connect(b, id, otherToken);
    await later.synced;
    expect(later.doc.getArray('log').toJSON()).toEqual(['logged', 'refused, then saved']);
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
    ann.provider.awareness.setLocalStateField('user', { name: firstName, color: '#00aa66' });
    await sleep(200);
    const bob = connect(b, id, otherToken); // Ann was there first: B opens the doc and asks A who is on it
    await bob.synced;
    bob.provider.awareness.setLocalStateField('user', { name: secondName, color: '#aa0066' });
    await eventually(() => expect(bob.names()).toEqual([secondName, firstName]));
    await eventually(() => expect(ann.names()).toEqual([secondName, firstName]));
    ann.provider.destroy();
    await eventually(() => expect(bob.names()).toEqual([secondName]));
  });

  it('presence of a whole class on one instance reaches a newcomer on the other (more than one notification holds)', async () => {
    const id = await newEntity('Classroom event');
    const students = Array.from({ length: 40 }, () => connect(a, id));
    await Promise.all(students.map((s) => s.synced));
    // About 250 bytes of state each, as the editor's name, colour and caret make: ~10 KB in all.
    const position = (i: number) => ({ type: { client: 1_000_000_000 + i, clock: 123_456 }, item: { client: 1_000_000_000 + i, clock: 123_789 }, assoc: 0 });
    students.forEach((s, i) => s.provider.awareness.setLocalState({ user: { name: firstName, color: '#00aa66' }, cursor: { anchor: position(i), head: position(i) } }));
    await eventually(() => expect(students[0].names()).toHaveLength(40));
    const teacher = connect(b, id, otherToken); // B opens the doc and asks A who is on it
    await teacher.synced;
    const carets = () => [...teacher.provider.awareness.getStates().values()].filter((state) => (state as { cursor?: unknown }).cursor).length;
    await eventually(() => expect([teacher.names().filter((name) => name === firstName).length, carets()]).toEqual([40, 40]));
    for (const s of students) s.provider.destroy();
    await eventually(() => expect(teacher.names()).toEqual([]));
    teacher.provider.destroy();
  });

  it('presence crosses as its own instance vouched for it: the name the server knows, nothing beyond a name and a caret', async () => {
    const id = await newEntity('Vouched presence event');
    const ann = connect(a, id);
    const bob = connect(b, id, otherToken);
    await Promise.all([ann.synced, bob.synced]);
    bob.provider.awareness.setLocalStateField('user', { name: secondName, color: userColor(secondName) });
    ann.provider.awareness.setLocalState({ user: { name: 'The teacher', color: 'url(https://evil.example/t.png)' }, notes: 'x'.repeat(2000) });
    const annOnB = () => bob.provider.awareness.getStates().get(ann.doc.clientID);
    await eventually(() => expect(annOnB()).toEqual({ user: { name: firstName, color: userColor(firstName) } }));
    // Bob, on the other instance, can neither rename Ann nor take her off the page through her id.
    const clock = bob.provider.awareness.meta.get(ann.doc.clientID)!.clock;
    const spoof = new Y.Doc();
    spoof.clientID = ann.doc.clientID;
    const spoofer = new WebsocketProvider(`${b.url.replace('http', 'ws')}/collab`, id, spoof, { WebSocketPolyfill: WebSocket as never, disableBc: true, params: { token: otherToken }, maxBackoffTime: 300 });
    providers.push(spoofer);
    spoofer.awareness.meta.set(ann.doc.clientID, { clock: clock + 5, lastUpdated: Date.now() });
    spoofer.awareness.setLocalState({ user: { name: 'Ann, renamed' } });
    await new Promise<void>((resolve) => spoofer.once('sync', (synced: boolean) => synced && resolve()));
    await sleep(300);
    expect(ann.names()).toEqual(['The teacher', secondName]); // her own editor shows what it set
    expect(annOnB()).toEqual({ user: { name: firstName, color: userColor(firstName) } });
    spoofer.destroy();
    ann.provider.destroy();
    await eventually(() => expect(bob.names()).toEqual([secondName]));
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
      const bob = connect(b, id, otherToken);
      await bob.synced;
      bob.provider.awareness.setLocalStateField('user', { name: secondName, color: userColor(secondName) }); // as the editor does
      await eventually(() => expect(ann.names()).toEqual([secondName])); // C knows Bob is there
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
    const bob = connect(b, id, otherToken);
    await Promise.all([ann.synced, bob.synced]);
    ann.provider.awareness.setLocalStateField('user', { name: firstName, color: userColor(firstName) });
    bob.provider.awareness.setLocalStateField('user', { name: secondName, color: userColor(secondName) });
    ann.doc.getMap('fields').set('place', 'Genoa');
    bob.doc.getMap('fields').set('outcome', 'Treaty signed');
    await eventually(() => {
      expect(ann.names()).toEqual([secondName, firstName]);
      expect(bob.names()).toEqual([secondName, firstName]);
      expect(ann.doc.getMap('fields').toJSON().outcome).toBe('Treaty signed');
      expect(bob.doc.getMap('fields').toJSON().place).toBe('Genoa');
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

  it('an editor’s page view through one instance shows what was typed a moment ago through the other, while the typing goes on', async () => {
    for (const [typedThrough, viewedThrough] of [[b, a], [a, b]]) {
      const id = await newEntity('Viewed elsewhere event');
      const editor = connect(typedThrough, id);
      await editor.synced;
      editor.doc.getMap('fields').set('place', 'Genoa');
      // The typing goes on: that instance's projections wait for a pause (250 ms) that does not come.
      let typed = 0;
      const typing = setInterval(() => editor.doc.getMap('fields').set('outcome', `Round ${++typed}`), 80);
      try {
        await eventually(async () => expect((await sql`select 1 from entity_updates where entity_id = ${id}`).length).toBeGreaterThan(0));
        await sleep(100); // the other instance has heard of it
        const page = await (await fetch(`${viewedThrough.url}/wiki/${id}`, { headers: { cookie } })).text();
        expect(page).toMatch(/>Place<\/dt><dd><span>Genoa<\/span>/);
        expect(page).toMatch(/>Outcome<\/dt><dd><span>Round \d+<\/span>/);
      } finally {
        clearInterval(typing);
        editor.provider.destroy();
      }
    }
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
    await eventually(() => expect(watcher.doc.getMap('fields').toJSON().place).toBe('Rapallo'));
    expect((await post(a, `/api/entities/${id}/revisions`, { summary: 'Place changed' })).status).toBe(201);
    expect((await post(b, `/api/entities/${id}/restore`, { revisionId: revision.id })).status).toBe(201);
    await eventually(() => expect(editor.doc.getMap('fields').toJSON().place).toBe('Genoa'));
  });

  it('a row added through one instance while a column is added through the other is evened out once, for everyone', async () => {
    const { id, onA, onB } = await tableOnBoth('Table event');
    // At the same moment: each instance has its own client's change before the other's.
    tables.of(onA.doc).insert(1, [tables.row(3)]);
    onB.doc.transact(() => tables.of(onB.doc).forEach((r) => (r as Y.XmlElement).push([tables.cell()]))); // one edit, as an editor makes it
    for (const c of [onA, onB]) await eventually(() => expect(tables.widths(c.doc)).toEqual([4, 4, 4, 4]));
    await sleep(500); // and no more: one instance repaired the merge
    for (const c of [onA, onB]) expect(tables.widths(c.doc)).toEqual([4, 4, 4, 4]);
    expect(tables.of(onB.doc).toJSON()).toBe(tables.of(onA.doc).toJSON());
    const saved = async (app: AppServer) => ((await (await fetch(`${app.url}/api/entities/${id}`, { headers: { cookie } })).json()) as { body: SavedNode }).body;
    for (const app of [a, b]) await eventually(async () => expect(tables.savedWidths(await saved(app))).toEqual([4, 4, 4, 4]), 8000);
  });

  it('a row added on an instance whose table still waits for the other instance to even out a merge is not evened out a second time', async () => {
    const { onA, onB } = await tableOnBoth('Table event, reshaped again');
    // The moment a client sees the merge uneven (the other instance's change has come, its repair not yet), it adds a row as
    // wide as the widest, as an editor would: a further reshape, through an instance that may not repair the merge itself.
    const added: number[] = [];
    for (const [n, client] of [onA, onB].entries()) {
      client.doc.on('afterTransaction', () => {
        const widths = tables.widths(client.doc);
        if (added.includes(n) || new Set(widths).size < 2) return;
        added.push(n);
        tables.of(client.doc).push([tables.row(Math.max(...widths))]);
      });
    }
    tables.of(onA.doc).insert(1, [tables.row(3)]);
    onB.doc.transact(() => tables.of(onB.doc).forEach((r) => (r as Y.XmlElement).push([tables.cell()])));
    const expected = () => Array<number>(4 + added.length).fill(4);
    for (const c of [onA, onB]) await eventually(() => expect(tables.widths(c.doc)).toEqual(expected()));
    await sleep(1500); // and no more, after any wait for the other instance's repair
    expect(added.length).toBeGreaterThan(0);
    for (const c of [onA, onB]) expect(tables.widths(c.doc)).toEqual(expected());
  });

  it('with a third instance, a row added through each of two while a column is added through the third is evened out once', async () => {
    const c = await startApp({ DATABASE_URL: databaseUrl, COLLAB_PROCESS: '1' }, { timeoutMs: 120_000 });
    const clients: ReturnType<typeof connect>[] = [];
    try {
      const id = await newEntity('Three-way table event');
      clients.push(connect(a, id), connect(b, id, otherToken), connect(c, id));
      const [onA, onB, onC] = clients;
      await Promise.all(clients.map((client) => client.synced));
      const table = new Y.XmlElement('table');
      table.insert(0, [tables.row(3), tables.row(3), tables.row(3)]);
      onA.doc.getXmlFragment('body').insert(0, [table]);
      for (const client of clients) await eventually(() => expect(tables.widths(client.doc)).toEqual([3, 3, 3]));
      // At the same moment: each instance has its own client's change before the others'.
      tables.of(onA.doc).insert(1, [tables.row(3)]);
      tables.of(onB.doc).insert(3, [tables.row(3)]);
      onC.doc.transact(() => tables.of(onC.doc).forEach((r) => (r as Y.XmlElement).push([tables.cell()])));
      for (const client of clients) await eventually(() => expect(tables.widths(client.doc)).toEqual([4, 4, 4, 4, 4]));
      await sleep(800); // and no more, after the wait of an instance that could have repaired it too
      for (const client of clients) expect(tables.widths(client.doc)).toEqual([4, 4, 4, 4, 4]);
    } finally {
      for (const client of clients) client.provider.disconnect(); // before their instance C stops
      await c.stop();
    }
  }, 150_000);
});
