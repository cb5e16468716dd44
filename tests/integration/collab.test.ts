import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import { call, createUser, postTo, signUpAt, uniqueName, type TestUser } from '../helpers/users';
import { collabSocket, connectClient, disconnectAll, eventually, sleep, tables, upgradeRequest, type SavedNode } from '../helpers/collab';
import { startApp, type AppServer } from '../setup/app-server';
import { freePort } from '../setup/ports';
import { createPostgresDatabase } from '../helpers/database';
import { clientFrame } from '../helpers/client-sockets';
import { appUrl, getJson } from '../helpers/http';
import { stateParam } from '@/components/editor/collab-connection';
import { changeStatement, latestStatements, wellFormedStatements } from '@/components/model/statements';
import { userColor } from '@/components/model/user-color';

let alice: TestUser;
let viewerUser: TestUser;
let owner: TestUser;

beforeAll(async () => {
  [alice, viewerUser, owner] = [await createUser('alice'), await createUser('viewer'), await createUser('owner')];
});
afterEach(() => disconnectAll());

/** A connection to the shared app's own database (PostgreSQL only: PGlite has one opener). */
function appDatabase(): postgres.Sql {
  return postgres(inject('postgresUrl').replace(/\/postgres$/, '/kb_app'), { max: 1, onnotice: () => {} });
}

/**
 * On PostgreSQL, a reader of the entity's update log in the test server's database: whether its
 * snapshot has folded in any rows, how many rows are logged, and how many times the log table
 * was vacuumed by hand. Null on PGlite (one opener).
 */
async function appDatabaseLog(entityId: string): Promise<(() => Promise<{ compacted: boolean; rows: number; vacuums: number }>) | null> {
  if (inject('databaseKind') !== 'postgres') return null;
  return async () => {
    const sql = appDatabase();
    try {
      const [row] = await sql`select d.compacted_through > 0 as compacted, (select count(*)::int from entity_updates u where u.entity_id = d.entity_id) as rows,
          (select vacuum_count::int from pg_stat_user_tables where relname = 'entity_updates') as vacuums
        from entity_docs d where d.entity_id = ${entityId}`;
      return { compacted: row.compacted as boolean, rows: row.rows as number, vacuums: row.vacuums as number };
    } finally {
      await sql.end();
    }
  };
}

async function newEntity(user: TestUser, body: object = {}): Promise<string> {
  const res = await call('POST', '/api/entities', user, { type: 'event', title: uniqueName('Collab event '), ...body });
  return ((await res.json()) as { id: string }).id;
}

describe('convergence', () => {
  it.each([2, 10])('%i real y-websocket clients on one entity converge', async (n) => {
    const id = await newEntity(alice);
    const clients = Array.from({ length: n }, () => connectClient(id, alice.token));
    await Promise.all(clients.map((c) => c.synced));
    clients.forEach((c, i) => c.doc.getArray('probe').push([`from-${i}`]));
    clients[0].doc.getMap('fields').set('place', 'Moscow');
    await eventually(() => {
      for (const c of clients) {
        expect(c.doc.getArray('probe').length).toBe(n);
        expect(c.doc.getMap('fields').toJSON().place).toBe('Moscow');
      }
    });
    const first = JSON.stringify(clients[0].doc.getArray('probe').toJSON().sort());
    for (const c of clients) expect(JSON.stringify(c.doc.getArray('probe').toJSON().sort())).toBe(first);
  });

  it('persists edits: after every client left, a new client loads them from the database', async () => {
    const id = await newEntity(alice);
    const a = connectClient(id, alice.token);
    await a.synced;
    a.doc.getArray('probe').push(['persisted']);
    a.doc.getMap('fields').set('outcome', 'Saved');
    await sleep(200);
    disconnectAll();
    await sleep(500); // the room unloads and compacts
    const b = connectClient(id, alice.token);
    await b.synced;
    expect(b.doc.getArray('probe').toJSON()).toEqual(['persisted']);
    expect(b.doc.getMap('fields').toJSON().outcome).toBe('Saved');
  });

  it('a doc edited past a compaction while open (its log folded into the snapshot at the first pause in the edits) reloads with every edit', async () => {
    const id = await newEntity(alice);
    const a = connectClient(id, alice.token);
    await a.synced;
    const probe = a.doc.getArray<number>('probe');
    for (let i = 0; i < 650; i++) {
      probe.push([i]); // one update each: past 500, the server folds its log once the edits pause
      if (i % 50 === 49) await sleep(20);
    }
    await sleep(200);
    // On PostgreSQL the test reads the app's database: nothing folded while the edits went on…
    const log = await appDatabaseLog(id);
    const before = await log?.();
    if (before) expect(before).toMatchObject({ compacted: false, rows: 650 });
    await sleep(inject('compactQuietMs') + 700);
    // …and everything folded in the pause, the client still there; the rows it deleted then vacuumed away.
    if (log) expect(await log()).toMatchObject({ compacted: true, rows: 0 });
    if (log) await eventually(async () => expect((await log()).vacuums).toBeGreaterThan(before!.vacuums));
    for (let i = 650; i < 700; i++) probe.push([i]);
    await sleep(300);
    disconnectAll();
    await sleep(500);
    const b = connectClient(id, alice.token);
    await b.synced;
    expect(b.doc.getArray('probe').toJSON()).toEqual(Array.from({ length: 700 }, (_, i) => i));
  });

  it('a reload (the last client leaves and a new one connects at once) keeps every edit', async () => {
    const id = await newEntity(alice);
    for (let round = 0; round < 5; round++) {
      const c = connectClient(id, alice.token);
      await c.synced;
      for (let k = 0; k < round; k++) expect(c.doc.getMap('fields').toJSON()[`round${k}`]).toBe(`value ${k}`);
      c.doc.getMap('fields').set(`round${round}`, `value ${round}`);
      await sleep(50);
      c.provider.destroy(); // the next round connects while this room closes
    }
    const last = connectClient(id, alice.token);
    await last.synced;
    expect(Object.keys(last.doc.getMap('fields').toJSON()).filter((k) => k.startsWith('round')).sort()).toEqual(['round0', 'round1', 'round2', 'round3', 'round4']);
  });

  it('clients that give up while the doc loads do not leave the one who stays in a room nobody else reaches', async () => {
    const id = await newEntity(alice);
    const { hostname, port } = new URL(appUrl('/'));
    /** An upgrade request whose client leaves before the answer (a tab closed, or gone offline, while connecting). */
    const abandonedUpgrade = () =>
      new Promise<void>((resolve) => {
        const socket = connect({ host: hostname, port: Number(port) }, () => {
          socket.end(upgradeRequest(id, alice.token));
          socket.on('close', () => resolve()).on('error', () => {});
          socket.resume();
        });
      });
    for (let round = 0; round < 3; round++) {
      // The doc is not open: these wait for its load together. The first two are gone by then;
      // each one found gone closes the room it was about to join.
      const gone = [abandonedUpgrade(), abandonedUpgrade()];
      await sleep(5);
      const stays = connectClient(id, alice.token);
      await Promise.all([stays.synced, ...gone]);
      const comes = connectClient(id, alice.token);
      await comes.synced;
      stays.doc.getArray('probe').push([`stays ${round}`]);
      comes.doc.getArray('probe').push([`comes ${round}`]);
      await eventually(() => {
        for (const c of [stays, comes]) expect(c.doc.getArray('probe').toArray()).toEqual(expect.arrayContaining([`stays ${round}`, `comes ${round}`]));
      });
      disconnectAll();
      await sleep(300); // the room closes
    }
  });

  it('clients opening many docs at once (loads batched into one query) each get their own doc and its saved edits', async () => {
    const ids = await Promise.all(Array.from({ length: 24 }, (_, i) => newEntity(alice, { title: uniqueName(`Batch ${i} `) })));
    // Half the docs get an edit, saved when their room unloads.
    const writers = ids.slice(0, 12).map((id) => connectClient(id, alice.token));
    await Promise.all(writers.map((c) => c.synced));
    writers.forEach((c, i) => c.doc.getMap('fields').set('place', `Place ${i}`));
    await sleep(200);
    disconnectAll();
    await sleep(300);
    const titles = await Promise.all(ids.map(async (id) => ((await (await call('GET', `/api/entities/${id}`, alice)).json()) as { title: string }).title));
    const clients = [...ids, ...ids].map((id) => connectClient(id, alice.token));
    await Promise.all(clients.map((c) => c.synced));
    clients.forEach((c, k) => {
      const i = k % ids.length;
      expect(c.doc.getMap('fields').toJSON().title).toBe(titles[i]);
      expect(c.doc.getMap('fields').toJSON().place).toBe(i < 12 ? `Place ${i}` : undefined);
    });
  });

  it('a viewer’s updates change nothing in the database', async () => {
    const group = ((await (await call('POST', '/api/groups', owner, { name: uniqueName('Collab group ') })).json()) as { id: string }).id;
    await call('POST', `/api/groups/${group}/members`, owner, { username: viewerUser.username, role: 'viewer' });
    const id = await newEntity(owner, { groupId: group, visibility: 'group' });
    const v = connectClient(id, viewerUser.token);
    await v.synced;
    v.doc.getMap('fields').set('title', 'Changed by a viewer');
    v.doc.getArray('probe').push(['viewer']);
    await sleep(300);
    disconnectAll();
    await sleep(500);
    const check = connectClient(id, owner.token);
    await check.synced;
    expect(check.doc.getMap('fields').toJSON().title).not.toBe('Changed by a viewer');
    expect(check.doc.getArray('probe').length).toBe(0);
  });

  it('an anonymous connection to a private page is refused before any byte of it; an edit sent right behind its handshake changes nothing, live or in the database', async () => {
    const group = ((await (await call('POST', '/api/groups', owner, { name: uniqueName('Private group ') })).json()) as { id: string }).id;
    const title = uniqueName('Private event ');
    const id = await newEntity(owner, { groupId: group, visibility: 'group', title });
    const watcher = connectClient(id, owner.token); // the doc is open while the stranger knocks
    await watcher.synced;
    const logged = await appDatabaseLog(id);
    const before = await logged?.();
    // The stranger's edit, as a binary frame.
    const stranger = new Y.Doc();
    stranger.getArray('probe').push(['stranger']);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0); // sync message
    syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(stranger));
    const frame = clientFrame(0x82, encoding.toUint8Array(encoder));
    const { hostname, port } = new URL(appUrl('/'));
    // What the server answers, once it closes the connection (a refusal does) or 1 s after its first bytes (an upgrade would not close).
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(Buffer.concat([Buffer.from(upgradeRequest(id)), frame])));
      let received = '';
      const done = () => {
        socket.destroy();
        resolve(received);
      };
      socket.once('data', () => setTimeout(done, 1000));
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
      socket.on('close', done);
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 404 /);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    expect(answer).not.toContain(title);
    await sleep(300);
    expect(watcher.doc.getArray('probe').length).toBe(0);
    disconnectAll();
    await sleep(500); // the room closes: the next client loads the doc from the database
    const check = connectClient(id, owner.token);
    await check.synced;
    expect(check.doc.getArray('probe').length).toBe(0);
    if (logged) expect(await logged()).toEqual(before);
  });

  it('a page in a group its author has just created opens on the socket at once', async () => {
    const author = await createUser('founder');
    const first = connectClient(await newEntity(author), author.token); // the server now knows the author, without the group
    await first.synced;
    const group = ((await (await call('POST', '/api/groups', author, { name: uniqueName('Fresh group ') })).json()) as { id: string }).id;
    const id = await newEntity(author, { groupId: group, visibility: 'group' });
    const ws = collabSocket(id, author.token);
    const answer = await new Promise<string>((resolve) => {
      ws.once('open', () => resolve('open'));
      ws.once('unexpected-response', (_req, res) => resolve(`HTTP ${res.statusCode}`));
    });
    ws.close();
    expect(answer).toBe('open');
  });
});

describe('projections follow live edits', () => {
  type Hit = { id: string; match: string };
  const search = async (q: string) => ((await (await call('GET', `/api/search?q=${encodeURIComponent(q)}`, alice)).json()) as { items: Hit[] }).items;
  const revisionCount = async (id: string) => ((await (await call('GET', `/api/entities/${id}/revisions`, alice)).json()) as { items: unknown[] }).items.length;

  it('body text, title and relations each reach search and backlinks; other shared types make no revision', async () => {
    const id = await newEntity(alice);
    const target = await newEntity(alice);
    const c = connectClient(id, alice.token);
    await c.synced;

    const word = `quokka${Date.now().toString(36)}`;
    c.doc.transact(() => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(`A sentence about the ${word} treaty.`)]);
      c.doc.getXmlFragment('body').push([paragraph]);
    });
    await eventually(async () => expect((await search(word)).map((h) => h.id)).toContain(id));

    const title = uniqueName('Renamed live ');
    c.doc.getMap('fields').set('title', title);
    await eventually(async () => expect((await search(title)).find((h) => h.id === id)?.match).toBe('title'));
    expect((await search(word)).map((h) => h.id)).toContain(id); // the body text is still projected

    c.doc.getArray('statements').push([{ id: 'live-1', predicate: 'participant', targetEntityId: target, qualifiers: {}, citations: [] }]);
    await eventually(async () => {
      const backlinks = (await (await call('GET', `/api/entities/${target}/backlinks`, alice)).json()) as { items: { id: string }[] };
      expect(backlinks.items.map((b) => b.id)).toContain(id);
    });

    disconnectAll();
    await eventually(async () => expect(await revisionCount(id)).toBe(2)); // creation + automatic save on leave
    const other = connectClient(id, alice.token);
    await other.synced;
    other.doc.getArray('probe').push(['not content']);
    await sleep(200);
    disconnectAll();
    await sleep(800);
    expect(await revisionCount(id)).toBe(2);
  });

  it('a page view comes with what was typed a moment ago, not the projection of before: an editor’s, and a reader’s', async () => {
    const id = await newEntity(alice);
    const { slug } = (await (await call('GET', `/api/entities/${id}`, alice)).json()) as { slug: string };
    const c = connectClient(id, alice.token);
    await c.synced;
    const word = `ibex${Date.now().toString(36)}`;
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(`Typed just now: ${word}.`)]);
    c.doc.getXmlFragment('body').push([paragraph]);
    (c.doc.getMap('fields').get('title') as Y.Text).insert(0, 'Retitled ');
    await sleep(30); // the update is at the server; its projection waits for a pause in the typing
    const html = await (await fetch(appUrl(`/wiki/${slug}`), { headers: { cookie: alice.cookie } })).text();
    expect(html).toContain(`Typed just now: ${word}.`);
    expect(html).toMatch(/<h1[^>]*>Retitled /);
    // So does the view of someone who may only read it (who watched the typing in the live view): here, not signed in.
    const more = new Y.XmlElement('paragraph');
    more.insert(0, [new Y.XmlText(`And then: ${word}2.`)]);
    c.doc.getXmlFragment('body').push([more]);
    await sleep(30);
    expect(await (await fetch(appUrl(`/wiki/${slug}`))).text()).toContain(`And then: ${word}2.`);
  });

  it('the title is a text typed into live; cleared (to type another), the page keeps its old title and name until the new one comes', async () => {
    const id = await newEntity(alice);
    const before = ((await (await call('GET', `/api/entities/${id}`, alice)).json()) as { title: string }).title;
    const c = connectClient(id, alice.token);
    await c.synced;
    const title = c.doc.getMap('fields').get('title');
    expect(title).toBeInstanceOf(Y.Text);
    const text = title as Y.Text;
    text.delete(0, text.length);
    const word = `numbat${Date.now().toString(36)}`;
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(`About the ${word}.`)]);
    c.doc.getXmlFragment('body').push([paragraph]); // a later edit, projected with the empty title
    await eventually(async () => expect((await search(word)).map((h) => h.id)).toContain(id));
    expect(((await (await call('GET', `/api/entities/${id}`, alice)).json()) as { title: string }).title).toBe(before);
    expect((await search(before)).find((h) => h.id === id)?.match).toBe('title');

    const renamed = uniqueName('Retitled ');
    text.insert(0, `  ${renamed} `);
    await eventually(async () => expect((await search(renamed)).find((h) => h.id === id)?.match).toBe('title'));
    expect(((await (await call('GET', `/api/entities/${id}`, alice)).json()) as { title: string }).title).toBe(renamed);
  });

  it('a page with oversize values still reaches the page and search: a long alias, junk aliases, a body of a million characters', async () => {
    const id = await newEntity(alice);
    const c = connectClient(id, alice.token);
    await c.synced;
    let seed = 7;
    const letter = () => String.fromCharCode(97 + ((seed = (seed * 48271) % 2147483647) % 26));
    const longAlias = Array.from({ length: 4000 }, letter).join(''); // past what an index entry holds
    const word = `quagga${Date.now().toString(36)}`;
    // 140,000 different words: more than PostgreSQL's text search takes for one page (under 1 MB).
    const words = Array.from({ length: 140_000 }, (_, i) => `w${i.toString(36)}x${letter()}${letter()}`).join(' ');
    const title = uniqueName('Oversize ');
    c.doc.transact(() => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(`The ${word} treaty. ${words}`)]);
      c.doc.getXmlFragment('body').push([paragraph]);
      c.doc.getMap('fields').set('aliases', [longAlias, 42, { not: 'a name' }, ...Array.from({ length: 60 }, (_, i) => `Alias ${i}`)]);
      c.doc.getMap('fields').set('title', title);
    });
    await eventually(async () => expect((await search(title)).find((h) => h.id === id)?.match).toBe('title'), 15_000);
    expect((await search(word)).map((h) => h.id)).toContain(id);
    const { body } = await getJson<{ summary: string }>(`/api/entities/${id}`);
    expect(body.summary.startsWith(`The ${word} treaty.`)).toBe(true);
    expect(body.summary.length).toBeLessThanOrEqual(1000);
  }, 60_000);

  it('one relation changed by two clients at once is one relation for readers, in the automatic revision and in the authorship', async () => {
    const id = await newEntity(alice);
    const target = await newEntity(alice);
    const [first, second] = [connectClient(id, alice.token), connectClient(id, alice.token)];
    await Promise.all([first.synced, second.synced]);
    // Entries that are not relations (any client can write anything) are left out everywhere.
    first.doc.getArray('statements').push([null, 7, { id: 'no-target', predicate: 'participant' }]);
    first.doc.getArray('statements').push([{ id: 'rel-1', predicate: 'participant', targetEntityId: target, qualifiers: {}, citations: [] }]);
    await eventually(() => expect(second.doc.getArray('statements').length).toBe(4));

    // Each replaces the relation while cut off from the other (as the editor's "Edit" does).
    second.provider.disconnect();
    for (const [client, role] of [[first, 'chair'], [second, 'secretary']] as const) {
      changeStatement(client.doc.getArray<{ id: string; qualifiers: object }>('statements'), 'rel-1', (s) => ({ ...s, qualifiers: { role } }));
    }
    second.provider.connect();
    await eventually(() => {
      expect(first.doc.getArray('statements').length).toBe(5);
      expect(JSON.stringify(first.doc.getArray('statements').toJSON())).toBe(JSON.stringify(second.doc.getArray('statements').toJSON()));
    });
    const [seen] = latestStatements(wellFormedStatements(first.doc.getArray('statements').toArray()));

    type Shown = { statements: { qualifiers: { role?: string } }[] };
    await eventually(async () => {
      const entity = (await (await call('GET', `/api/entities/${id}`, alice)).json()) as Shown;
      expect(entity.statements.map((s) => s.qualifiers.role)).toEqual([seen.qualifiers.role]);
    });
    const authorship = (await (await call('GET', `/api/entities/${id}/authorship`, alice)).json()) as { statements: unknown[] };
    expect(authorship.statements).toHaveLength(1);

    disconnectAll();
    const revisions = await eventually(async () => {
      const { items } = (await (await call('GET', `/api/entities/${id}/revisions`, alice)).json()) as { items: { id: string; kind: string }[] };
      expect(items.map((r) => r.kind)).toContain('auto');
      return items;
    });
    const auto = revisions.find((r) => r.kind === 'auto')!;
    const revision = (await (await call('GET', `/api/revisions/${auto.id}`, alice)).json()) as { json: { statements: { qualifiers: { role?: string } }[] } };
    expect(revision.json.statements.map((s) => s.qualifiers.role)).toEqual([seen.qualifiers.role]);
  });

  it('typing in text that has formatting (a link, bold) still reaches the page and search', async () => {
    // Applying such an update, Yjs runs a cleanup transaction of its own after it: that one
    // changes no content, and once decided alone whether the edit was projected.
    const id = await newEntity(alice);
    const c = connectClient(id, alice.token);
    await c.synced;
    const text = new Y.XmlText('See the archive');
    c.doc.transact(() => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [text]);
      c.doc.getXmlFragment('body').push([paragraph]);
    });
    text.format(8, 7, { link: { href: 'https://archive.example.org/' } });
    text.format(0, 3, { bold: {} });
    const summary = async () => ((await (await call('GET', `/api/entities/${id}`, alice)).json()) as { summary: string }).summary;
    await eventually(async () => expect(await summary()).toBe('See the archive')); // projected before what follows is typed
    const word = `wombat${Date.now().toString(36)}`;
    for (const piece of [' and', ' the ', word]) {
      await sleep(50);
      text.insert(text.length, piece);
    }
    await eventually(async () => expect((await search(word)).map((h) => h.id)).toContain(id));
    expect(await summary()).toBe(`See the archive and the ${word}`);
  });

  it('typing that never pauses (a class typing at once: an edit every 50 ms) reaches search while it goes on, not only once everyone stops', async () => {
    const id = await newEntity(alice);
    const c = connectClient(id, alice.token);
    await c.synced;
    const word = `quokka${Date.now().toString(36)}`;
    const paragraph = c.doc.getXmlFragment('body').get(0) as Y.XmlElement;
    const text = new Y.XmlText(`The ${word} clause`);
    paragraph.insert(0, [text]);
    let typing = true;
    const typist = (async () => {
      for (let i = 0; i < 160 && typing; i++) {
        text.insert(text.length, '.');
        await sleep(50);
      }
      typing = false;
    })();
    await eventually(async () => expect((await search(word)).map((h) => h.id)).toContain(id), 7000);
    expect(typing, 'the page reached search only once the typing stopped').toBe(true);
    typing = false;
    await typist;
  });

  it('typing inside a paragraph of a doc just opened reaches search (a change below the root counts as content)', async () => {
    const id = await newEntity(alice);
    const c = connectClient(id, alice.token);
    await c.synced;
    const word = `numbat${Date.now().toString(36)}`;
    const paragraph = c.doc.getXmlFragment('body').get(0) as Y.XmlElement; // a new entity's empty paragraph
    paragraph.insert(0, [new Y.XmlText(`The ${word} clause.`)]);
    await eventually(async () => expect((await search(word)).map((h) => h.id)).toContain(id));
  });
});

/**
 * On a server a test starts for itself: signs up a user, makes a token and an entity, and
 * returns a way to open real y-websocket clients on that entity (the same URL after a restart).
 */
async function signUpAndOpen(baseUrl: string, name: string) {
  const post = (path: string, body: unknown, cookie?: string) => postTo(baseUrl, path, body, cookie);
  const { cookie, token } = await signUpAt(baseUrl, `${name}test`);
  const { id } = (await (await post('/api/entities', { type: 'event', title: `${name} test` }, cookie)).json()) as { id: string };
  const connect = () => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(`${baseUrl.replace('http', 'ws')}/collab`, id, doc, { WebSocketPolyfill: WebSocket as never, disableBc: true, params: { token }, maxBackoffTime: 300 });
    const synced = new Promise<void>((resolve) => provider.once('sync', (s: boolean) => s && resolve()));
    return { doc, provider, synced };
  };
  return { post, cookie, token, id, connect };
}

/** A new client sees each of the `sent` edits and the one the writer held while the server was down, each exactly once. */
async function expectEveryEditOnce(connect: Awaited<ReturnType<typeof signUpAndOpen>>['connect'], sent: number) {
  const reader = connect();
  await reader.synced;
  const log = reader.doc.getArray('log').toJSON() as string[];
  for (let i = 0; i < sent; i++) expect(log.filter((x) => x === `sent-${i}`)).toHaveLength(1);
  expect(log.filter((x) => x === 'held-by-client')).toHaveLength(1);
  expect(log).toHaveLength(sent + 1);
  return reader;
}

describe('junk written by a client', () => {
  it('never breaks a page: reading, history, a revision and its diff, the authorship and the API answer, with the good content and none of the junk', async () => {
    const id = await newEntity(alice);
    const client = connectClient(id, alice.token);
    await client.synced;
    // What a buggy or hostile y-websocket client can put in a body: nodes the schema does not
    // have, a link to "javascript:", and links and citations whose ids are not ids.
    client.doc.transact(() => {
      const element = (name: string, attrs: Record<string, unknown>, ...content: (Y.XmlElement | Y.XmlText)[]) => {
        const e = new Y.XmlElement(name);
        for (const [key, value] of Object.entries(attrs)) e.setAttribute(key, value as string);
        e.insert(0, content);
        return e;
      };
      const linked = new Y.XmlText();
      linked.insert(0, 'a bad link', { link: { href: 'javascript:alert(1)' } });
      client.doc.getXmlFragment('body').insert(0, [
        element('paragraph', {}, new Y.XmlText('Kept paragraph.')),
        element('heading', { level: 'x' }, new Y.XmlText('A heading of no level')),
        element('script', {}, new Y.XmlText('alert(1)')),
        element('image', { src: 'x', onerror: 'alert(2)' }),
        element('paragraph', {}, linked, element('entityLink', { entityId: '../../etc', label: 'Nowhere' }), element('citation', { sourceId: 'x', start: 'a', quote: 'q' })),
      ]);
      client.doc.getArray('statements').push([{ id: 'junk', predicate: 'part_of', targetEntityId: 'not-an-id', qualifiers: {}, citations: [{ sourceId: 'nope', start: 0, end: 1, quote: 'x' }] }]);
    });
    const slug = await eventually(async () => {
      const { body } = await getJson<{ slug: string; summary: string }>(`/api/entities/${id}`);
      expect(body.summary).toContain('Kept paragraph.');
      return body.slug;
    });
    const saved = await call('POST', `/api/entities/${id}/revisions`, alice, { summary: 'With junk' });
    expect(saved.status).toBe(201);
    const revision = ((await saved.json()) as { revision: { id: string } }).revision;
    const { items } = (await (await call('GET', `/api/entities/${id}/revisions`, alice)).json()) as { items: { id: string }[] };
    const first = items.at(-1)!.id;
    for (const path of [`/wiki/${slug}`, `/wiki/${slug}/history`, `/wiki/${slug}/authorship`, `/revisions/${revision.id}`, `/revisions/${revision.id}/diff?against=${first}`, `/api/revisions/${revision.id}`, `/api/entities/${id}`, `/api/entities/${id}/authorship`]) {
      const res = await call('GET', path, alice);
      const text = await res.text();
      expect(res.status, path).toBe(200);
      expect(text, path).toContain('Kept paragraph.');
      expect(text, path).not.toMatch(/<script>alert|onerror|javascript:|<hNaN|"level":null/);
    }
  });
});

describe('durability across a crash', () => {
  it('keeps every edit sent 200 ms before SIGKILL, and merges what an open client still held', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'kb-crash-'));
    // The same crash on the database this run tests: embedded PGlite, or PostgreSQL.
    const env = { DATA_DIR: dataDir, SEED: '0', DATABASE_URL: inject('databaseKind') === 'postgres' ? await createPostgresDatabase() : '' };
    let app = await startApp(env, { port });
    const { connect } = await signUpAndOpen(app.url, 'crash');

    const writer = connect();
    await writer.synced;
    for (let i = 0; i < 50; i++) writer.doc.getArray('log').push([`sent-${i}`]);
    await sleep(200);
    app.child.kill('SIGKILL');
    await app.stop();
    // Written while the server is down: held by the open client, sent when it reconnects.
    writer.doc.getArray('log').push(['held-by-client']);

    app = await startApp(env, { port });
    try {
      await eventually(() => expect(writer.provider.synced).toBe(true), 15_000);
      await sleep(300);
      (await expectEveryEditOnce(connect, 50)).provider.destroy();
    } finally {
      writer.provider.destroy();
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('a write to the log that fails', () => {
  // The test makes the app's log refuse inserts for a moment: it needs a database it can reach
  // beside the app (PostgreSQL; PGlite has one opener).
  it.skipIf(inject('databaseKind') !== 'postgres')('loses no edit: the server keeps it and saves it in the snapshot, even when the page closes with few edits logged', async () => {
    const id = await newEntity(alice);
    const sql = appDatabase();
    try {
      const a = connectClient(id, alice.token);
      const keeper = connectClient(id, alice.token); // keeps the page open throughout: a comes back to the same doc
      await Promise.all([a.synced, keeper.synced]);
      a.doc.getArray('probe').push(['logged']);
      await sleep(200);
      const down = await refuseWrites(sql, 'insert on entity_updates');
      try {
        a.doc.getArray('probe').push(['not logged']);
        expect(await a.closed).toBe(1011); // its sender is told
      } finally {
        await down.answer();
      }
      // Back, with nothing to send (the server's doc has it), and the other editor has it too.
      await eventually(() => expect(a.provider.synced).toBe(true));
      expect(keeper.doc.getArray('probe').toJSON()).toEqual(['logged', 'not logged']);
      disconnectAll(); // the page closes with one row logged, too few to compact for their own sake
      await sleep(500);
      await expectProbeOnNewClient(id, ['logged', 'not logged']);
    } finally {
      await sql.end();
    }
  });

  it.skipIf(inject('databaseKind') !== 'postgres')('loses no edit when the page closes while the database still refuses it: the server keeps the doc and saves it once the database answers', async () => {
    const id = await newEntity(alice);
    const sql = appDatabase();
    const stored = () => storedProbe(sql, id);
    try {
      const a = connectClient(id, alice.token);
      await a.synced;
      a.doc.getArray('probe').push(['logged']);
      await eventually(async () => expect(await stored()).toEqual(['logged']));
      // Neither the log nor the snapshot takes a write: the edit is in the server's doc only.
      const down = await refuseWrites(sql, 'insert on entity_updates', 'update on entity_docs');
      try {
        a.doc.getArray('probe').push(['not logged']);
        expect(await a.closed).toBe(1011);
        await eventually(() => expect(a.provider.synced).toBe(true)); // back, with nothing to send
        disconnectAll(); // everyone leaves; the server's first tries to save fail
        await sleep(1500);
        expect(await stored()).toEqual(['logged']);
        await expectProbeOnNewClient(id, ['logged', 'not logged']); // who opens the page meanwhile gets the edit
        disconnectAll();
      } finally {
        await down.answer();
      }
      await eventually(async () => expect(await stored()).toEqual(['logged', 'not logged']), 10_000);
      await expectProbeOnNewClient(id, ['logged', 'not logged']);
    } finally {
      await sql.end();
    }
  });

  it.skipIf(inject('databaseKind') !== 'postgres')('loses no edit when the server stops while the database refuses it, if the database answers within the server’s time to stop', async () => {
    await withOwnServer('stopping', async ({ app, sql, id, connect }) => {
      const writer = connect();
      await writer.synced;
      writer.doc.getArray('probe').push(['logged']);
      await eventually(async () => expect(await storedProbe(sql, id)).toEqual(['logged']));
      const down = await refuseWrites(sql, 'insert on entity_updates', 'update on entity_docs');
      // Told to reconnect, the writer leaves instead: only the server has the edit now.
      const closed = new Promise<number>((resolve) =>
        writer.provider.on('connection-close', (event: { code: number } | null) => {
          writer.provider.shouldConnect = false;
          resolve(event?.code ?? 0);
        }),
      );
      writer.doc.getArray('probe').push(['not logged']);
      expect(await closed).toBe(1011);
      writer.provider.destroy();
      // The server tries to write it at once and 1 s later; the next try is 2 s after that.
      await eventually(async () => expect(await down.refusals()).toBe(3));
      const stopped = app.stop();
      await eventually(async () => expect(await down.refusals()).toBeGreaterThan(3)); // stopping, it tries again
      await down.answer();
      expect(await stopped).toBe(0);
      expect(await storedProbe(sql, id)).toEqual(['logged', 'not logged']);
      // The failures are logged as PostgreSQL gave them, not with the statement's parameters (a
      // compaction's are the page's whole snapshot).
      expect(app.output()).toContain(`could not save the edits of ${id} yet: the database is down (test)`);
      expect(app.output()).not.toContain('params:');
    });
  }, 30_000);

  it.skipIf(inject('databaseKind') !== 'postgres')('a page its last editor left just before the server stopped still gets its search text and automatic revision', async () => {
    await withOwnServer('leaving', async ({ app, sql, id, connect }) => {
      const autoRevisions = async () => (await sql<{ n: number }[]>`select count(*)::int as n from revisions where entity_id = ${id} and kind = 'auto'`)[0].n;
      expect(await autoRevisions()).toBe(0);
      const writer = connect();
      await writer.synced;
      // Another transaction holds the page's row: the page's projection waits to be written.
      const holder = await sql.reserve();
      await holder`begin`;
      await holder`select 1 from entities where id = ${id} for no key update`; // as an update of it does: the log's rows may still refer to it
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('Zanzibar accord')]);
      writer.doc.transact(() => {
        writer.doc.getXmlFragment('body').insert(0, [paragraph]);
        writer.doc.getArray('probe').push(['logged']);
      });
      await eventually(async () => expect(await storedProbe(sql, id)).toEqual(['logged']));
      writer.provider.destroy(); // the last editor leaves: the page closes
      await sleep(50);
      const stopped = app.stop();
      await sleep(300);
      await holder`commit`;
      holder.release();
      expect(await stopped).toBe(0);
      const [entity] = await sql<{ search_text: string }[]>`select search_text from entities where id = ${id}`;
      expect(entity.search_text).toContain('Zanzibar accord');
      expect(await autoRevisions()).toBe(1);
      expect(app.output()).not.toContain('could not');
    });
  }, 30_000);
});

/**
 * Runs `test` with a server of its own (for tests that stop it) on a new PostgreSQL database, a
 * connection to that database (two: one may be held in a transaction), and a new user's page;
 * closes both after.
 */
async function withOwnServer(name: string, test: (own: { app: AppServer; sql: postgres.Sql } & Awaited<ReturnType<typeof signUpAndOpen>>) => Promise<void>) {
  const database = await createPostgresDatabase();
  const app = await startApp({ SEED: '0', DATABASE_URL: database });
  const sql = postgres(database, { max: 2, onnotice: () => {} });
  try {
    await test({ app, sql, ...(await signUpAndOpen(app.url, name)) });
  } finally {
    await sql.end();
    await app.stop();
  }
}

/**
 * Makes the app's database refuse the writes named (`insert on entity_updates`…) with an error,
 * as a database that is down would, until `answer` is called; `refusals` counts them.
 */
async function refuseWrites(sql: postgres.Sql, ...writes: string[]) {
  await sql.unsafe(`create sequence if not exists refusals;
    create or replace function refuse_write() returns trigger language plpgsql as $$ begin perform nextval('refusals'); raise exception 'the database is down (test)'; end $$`);
  for (const [i, write] of writes.entries()) await sql.unsafe(`create trigger refuse_${i} before ${write} for each row execute function refuse_write()`);
  return {
    async refusals(): Promise<number> {
      const [{ n }] = await sql<{ n: string }[]>`select case when is_called then last_value else 0 end as n from refusals`;
      return Number(n);
    },
    async answer(): Promise<void> {
      for (const [i, write] of writes.entries()) await sql.unsafe(`drop trigger refuse_${i} on ${write.split(' on ')[1]}`);
      await sql.unsafe('drop function refuse_write(); drop sequence refusals');
    },
  };
}

/** A client that opens the entity's page now finds `expected` in its `probe` array. */
async function expectProbeOnNewClient(entityId: string, expected: unknown[]): Promise<void> {
  const client = connectClient(entityId, alice.token);
  await client.synced;
  expect(client.doc.getArray('probe').toJSON()).toEqual(expected);
}

/** The `probe` array of the entity's doc as stored: its snapshot and later log rows. */
async function storedProbe(sql: postgres.Sql, entityId: string): Promise<unknown[]> {
  const doc = new Y.Doc();
  const [snapshot] = await sql<{ state: Buffer }[]>`select state from entity_docs where entity_id = ${entityId}`;
  Y.applyUpdate(doc, snapshot.state);
  for (const row of await sql<{ update: Buffer }[]>`select update from entity_updates where entity_id = ${entityId} order by id`) Y.applyUpdate(doc, row.update);
  return doc.getArray('probe').toJSON();
}

/** The status of a GET made on a connection of its own (fetch would take one from its pool). */
function statusOnNewConnection(url: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
  });
}

/** Child processes of `pid` (the web server's collaboration process, on PostgreSQL). */
function childPids(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
    readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number),
  );
}

describe('the collaboration process', () => {
  // With PostgreSQL and COLLAB_PROCESS=1 the socket server runs in a process of its own; PGlite
  // keeps it in the web server's process (one opener per data directory), where the test above
  // covers a crash.
  it.skipIf(inject('databaseKind') !== 'postgres')('is started again when it dies: pages stay up (a new connection waits for it), clients reconnect, no edit is lost or doubled', async () => {
    const app = await startApp({ SEED: '0', DATABASE_URL: await createPostgresDatabase(), COLLAB_PROCESS: '1' });
    try {
      expect(app.output()).toContain('collaboration: own process');
      const { post, cookie, id, connect } = await signUpAndOpen(app.url, 'restart');
      const writer = connect();
      await writer.synced;
      for (let i = 0; i < 20; i++) writer.doc.getArray('log').push([`sent-${i}`]);
      await sleep(200);
      const [collab] = childPids(app.child.pid!);
      expect(collab).toBeGreaterThan(0);
      process.kill(collab, 'SIGKILL');
      await eventually(() => expect(writer.provider.wsconnected).toBe(false));
      writer.doc.getArray('log').push(['held-by-client']);
      writer.doc.getMap('fields').set('place', 'Set while it was down');
      // The web server itself is untouched: connections it has go on, and a new one (accepted by
      // the collaboration process) waits in the port's queue until the new process takes it.
      // What needs the live doc meanwhile says so and may be retried.
      const newConnection = statusOnNewConnection(`${app.url}/api/health`);
      expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
      const meanwhile = await post(`/api/entities/${id}/revisions`, { summary: 'While it restarts' }, cookie);
      expect(meanwhile.status).toBe(503);
      expect(((await meanwhile.json()) as { error: { code: string } }).error.code).toBe('unavailable');

      expect(await newConnection).toBe(200);
      await eventually(() => expect(writer.provider.synced).toBe(true), 15_000);
      expect(childPids(app.child.pid!)).not.toContain(collab);
      await sleep(300);
      const reader = await expectEveryEditOnce(connect, 20);
      expect(reader.doc.getMap('fields').toJSON().place).toBe('Set while it was down');
      // Route handlers reach the new process: "Save revision" reads the live doc (changed since revision 1) through it.
      expect((await post(`/api/entities/${id}/revisions`, { summary: 'After the restart' }, cookie)).status).toBe(201);
      writer.provider.destroy();
      reader.provider.destroy();
    } finally {
      await app.stop();
    }
  }, 60_000);
});

describe('first sync', () => {
  it('sends the whole doc on joining, before the client asks, and then neither repeats it nor withholds a later edit', async () => {
    const place = 'Brest-Litovsk, on the Bug river';
    const treaty = 'Treaty of Brest-Litovsk';
    const id = await newEntity(alice);
    const editor = connectClient(id, alice.token);
    await editor.synced;
    editor.doc.getMap('fields').set('place', place);
    await sleep(100);
    const ws = collabSocket(id, alice.token);
    const received: Buffer[] = [];
    ws.on('message', (data: Buffer) => received.push(data));
    await new Promise((resolve) => ws.once('open', resolve));
    // A client that has not said anything yet: the content is already on its way (sync step 2).
    await eventually(() => expect(received.some((m) => m[0] === 0 && m[1] === 1 && m.includes(place))).toBe(true));
    // Its step 1 (an empty state vector, as a new client sends) gets no answer: it has the doc.
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, 0);
    syncProtocol.writeSyncStep1(step1, new Y.Doc());
    const before = received.length;
    ws.send(encoding.toUint8Array(step1));
    await sleep(300);
    expect(received.slice(before).filter((m) => m[0] === 0)).toEqual([]);
    // An edit made meanwhile reaches it as an update.
    editor.doc.getMap('fields').set('name', treaty);
    await eventually(() => expect(received.slice(before).some((m) => m[0] === 0 && m[1] === 2 && m.includes(treaty))).toBe(true));
    // A later step 1 (a client's periodic resync) is answered with all it lacks.
    const resent = received.length;
    ws.send(encoding.toUint8Array(step1));
    await eventually(() => expect(received.slice(resent).some((m) => m[0] === 0 && m[1] === 1 && m.includes(place) && m.includes(treaty))).toBe(true));
    // A real client joining now gets the content, as ever.
    const reader = connectClient(id, alice.token);
    await reader.synced;
    expect(reader.doc.getMap('fields').toJSON().place).toBe(place);
    ws.close();
  });
});

describe('reconnecting', () => {
  const long = 'The delegations met at Genoa and signed at Rapallo. '.repeat(400); // ~20 KB

  /** The first sync step 2 a raw socket gets on joining with `query`, as the update it holds. */
  async function joinUpdate(id: string, query: string): Promise<Uint8Array> {
    const ws = new WebSocket(appUrl(`/collab/${id}?token=${alice.token}${query}`).replace(/^http/, 'ws'));
    const step2 = await new Promise<Buffer>((resolve, reject) => {
      ws.on('message', (m: Buffer) => m[0] === 0 && m[1] === 1 && resolve(m));
      ws.once('error', reject);
    });
    ws.close();
    const decoder = decoding.createDecoder(step2);
    decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    return decoding.readVarUint8Array(decoder);
  }

  it('a client that says what it has (?sv=) is sent only what it lacks, not the whole doc again', async () => {
    const id = await newEntity(alice);
    const editor = connectClient(id, alice.token);
    await editor.synced;
    editor.doc.getMap('fields').set('outcome', long);
    await sleep(100);
    // A client had all of that, then lost its connection while the editor typed on.
    const away = new Y.Doc();
    Y.applyUpdate(away, Y.encodeStateAsUpdate(editor.doc));
    editor.doc.getMap('fields').set('place', 'Portofino');
    await sleep(100);
    const missed = await joinUpdate(id, `&sv=${encodeURIComponent(stateParam(away))}`);
    expect(missed.length).toBeLessThan(200);
    Y.applyUpdate(away, missed);
    expect(away.getMap('fields').toJSON()).toEqual(editor.doc.getMap('fields').toJSON());
    // Without one, or with one that is not a state vector, the whole doc comes, as to a new client.
    for (const query of ['', '&sv=BQ%3D%3D', `&sv=${'A'.repeat(9000)}`]) expect((await joinUpdate(id, query)).length).toBeGreaterThan(long.length);
  });

  it('a real client back with ?sv= after edits on both sides converges with the others, nothing lost or doubled', async () => {
    const id = await newEntity(alice);
    const a = connectClient(id, alice.token);
    await a.synced;
    a.doc.getMap('fields').set('outcome', long);
    const b = connectClient(id, alice.token);
    await b.synced;
    const blocks = b.doc.getXmlFragment('body').length;
    b.provider.disconnect();
    b.doc.getXmlFragment('body').insert(0, [new Y.XmlElement('paragraph')]); // typed while away
    a.doc.getXmlFragment('body').insert(0, [new Y.XmlElement('heading')]);
    a.doc.getMap('fields').set('place', 'Portofino');
    b.provider.params = { ...b.provider.params, sv: stateParam(b.doc) }; // as the editor does on losing its connection
    b.provider.connect();
    await eventually(() => {
      expect(b.doc.getMap('fields').toJSON().place).toBe('Portofino');
      expect(a.doc.getXmlFragment('body').length).toBe(blocks + 2);
    });
    await sleep(200);
    expect(b.doc.getXmlFragment('body').toJSON()).toBe(a.doc.getXmlFragment('body').toJSON());
    expect(b.doc.getMap('fields').toJSON()).toEqual(a.doc.getMap('fields').toJSON());
    const reader = connectClient(id, alice.token); // and what the server keeps is the same
    await reader.synced;
    expect(reader.doc.getXmlFragment('body').length).toBe(blocks + 2);
  });
});

describe('tables changed by two people at once', () => {
  const { cell, row, of: tableOf, widths } = tables;
  const writers = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc)).size;
  const savedWidths = async (id: string) => tables.savedWidths((await getJson<{ body: SavedNode }>(`/api/entities/${id}`)).body.body);

  /** Two clients on a new entity whose body A begins with a table of `rows` (three rows of three cells by default), once B has it too. */
  async function twoOnATable(rows = [row(3), row(3), row(3)]) {
    const id = await newEntity(alice);
    const [a, b] = [connectClient(id, alice.token), connectClient(id, alice.token)];
    await Promise.all([a.synced, b.synced]);
    const table = new Y.XmlElement('table');
    table.insert(0, rows);
    a.doc.getXmlFragment('body').insert(0, [table]);
    await eventually(() => expect(widths(b.doc)).toEqual(widths(a.doc)));
    return { id, a, b };
  }

  it('a row added while another person added a column is evened out by the server, once, for everyone', async () => {
    const { id, a, b } = await twoOnATable();
    // A row added to an even table is taken as it is: no repair, no other writer.
    const before = writers(b.doc);
    tableOf(a.doc).insert(3, [row(3)]);
    await eventually(() => expect(widths(b.doc)).toEqual([3, 3, 3, 3]));
    await sleep(200);
    expect(writers(b.doc)).toBe(before);

    // B adds a column while cut off; A meanwhile adds a row of the old width.
    b.provider.disconnect();
    for (const r of tableOf(b.doc).toArray()) (r as Y.XmlElement).push([cell()]);
    tableOf(a.doc).insert(1, [row(3)]);
    await sleep(200);
    b.provider.connect();
    for (const c of [a, b]) await eventually(() => expect(widths(c.doc)).toEqual([4, 4, 4, 4, 4]));
    await sleep(500); // and no more: no editor repairs the repair
    for (const c of [a, b]) expect(widths(c.doc)).toEqual([4, 4, 4, 4, 4]);
    expect(tableOf(b.doc).toJSON()).toBe(tableOf(a.doc).toJSON());
    // Saved so: the page's body has five rows of four cells.
    await eventually(async () => expect(await savedWidths(id)).toEqual([4, 4, 4, 4, 4]), 8000);
  });

  it('a column added and undone while another person added a row leaves the table as it was, with that row', async () => {
    const { id, a, b } = await twoOnATable();
    const undo = new Y.UndoManager(tableOf(b.doc)); // B's own changes, as an editor's undo takes them
    b.provider.disconnect();
    b.doc.transact(() => tableOf(b.doc).forEach((r) => (r as Y.XmlElement).push([cell()])));
    tableOf(a.doc).insert(1, [row(3)]);
    await sleep(200);
    b.provider.connect();
    for (const c of [a, b]) await eventually(() => expect(widths(c.doc)).toEqual([4, 4, 4, 4]));
    // B's undo takes its cells back; the one the server added to A's row in that column goes with them.
    undo.undo();
    for (const c of [a, b]) await eventually(() => expect(widths(c.doc)).toEqual([3, 3, 3, 3]));
    await sleep(500);
    for (const c of [a, b]) expect(widths(c.doc)).toEqual([3, 3, 3, 3]);
    await eventually(async () => expect(await savedWidths(id)).toEqual([3, 3, 3, 3]), 8000);
  });

  it('in a table with a merged cell, a row added while another person added a column gets its missing cell at its end', async () => {
    const merged = cell();
    merged.setAttribute('colspan', 3 as never); // one cell across the three columns
    const heading = new Y.XmlElement('tableRow');
    heading.insert(0, [merged]);
    const { id, a, b } = await twoOnATable([heading, row(3), row(3)]);
    await eventually(() => expect(widths(b.doc)).toEqual([1, 3, 3]));
    // B adds a column while cut off; A meanwhile adds a row of the old width above the rest, and types in its first cell.
    b.provider.disconnect();
    b.doc.transact(() => tableOf(b.doc).forEach((r) => (r as Y.XmlElement).push([cell()])));
    const added = row(3);
    tableOf(a.doc).insert(0, [added]);
    ((added.get(0) as Y.XmlElement).get(0) as Y.XmlElement).insert(0, [new Y.XmlText('China')]);
    await sleep(200);
    b.provider.connect();
    for (const c of [a, b]) await eventually(() => expect(widths(c.doc)).toEqual([4, 2, 4, 4]));
    for (const c of [a, b]) expect((tableOf(c.doc).get(0) as Y.XmlElement).toArray().map((x) => x.toString().replace(/<[^>]+>/g, ''))).toEqual(['China', '', '', '']);
    await sleep(300);
    expect(tableOf(b.doc).toJSON()).toBe(tableOf(a.doc).toJSON());
    await eventually(async () => expect(await savedWidths(id)).toEqual([4, 2, 4, 4]), 8000);
  });

  it('refuses a change that makes a cell span more than 1000 columns or rows and tells its sender; the table stays as it was for everyone', async () => {
    const { id, a, b } = await twoOnATable();
    const firstCell = (doc: Y.Doc) => (tableOf(doc).get(0) as Y.XmlElement).get(0) as Y.XmlElement;
    firstCell(a.doc).setAttribute('colspan', 2 as never); // an ordinary merge is taken
    await eventually(() => expect(firstCell(b.doc).getAttribute('colspan')).toBe(2));
    for (const [key, span] of [['colspan', 5000], ['rowspan', '100000000']] as const) {
      const writer = connectClient(id, alice.token);
      await writer.synced;
      const refused = new Promise<{ code: number; reason: string }>((resolve) => writer.provider.once('connection-close', (e) => resolve({ code: e?.code ?? 0, reason: e?.reason ?? '' })));
      firstCell(writer.doc).setAttribute(key, span as never);
      expect(await refused).toEqual({ code: 4422, reason: expect.stringMatching(/at most 1000 columns or rows.*not saved/) });
      writer.provider.destroy();
    }
    await sleep(300);
    expect(firstCell(b.doc).getAttribute('colspan')).toBe(2);
    expect(firstCell(b.doc).getAttribute('rowspan')).toBeUndefined();
    expect(b.provider.wsconnected).toBe(true);
    const reader = connectClient(id, alice.token); // what the server keeps is the same
    await reader.synced;
    expect(tableOf(reader.doc).toJSON()).toBe(tableOf(b.doc).toJSON());
  });

  it('a table pasted with rows of unequal width is evened out by the server: editors leave tables to it', async () => {
    const { id, a, b } = await twoOnATable([row(3), row(2), row(3)]);
    for (const c of [a, b]) await eventually(() => expect(widths(c.doc)).toEqual([3, 3, 3]));
    await sleep(300);
    for (const c of [a, b]) expect(widths(c.doc)).toEqual([3, 3, 3]);
    await eventually(async () => expect(await savedWidths(id)).toEqual([3, 3, 3]), 8000);
  });
});

describe('awareness floods', () => {
  it('relays at most about 30 awareness updates a second from one connection', async () => {
    const id = await newEntity(alice);
    const watcher = connectClient(id, alice.token);
    await watcher.synced;
    let seen = 0;
    watcher.provider.awareness.on('update', () => seen++);
    const flooder = connectClient(id, alice.token);
    await flooder.synced;
    const before = seen;
    for (let i = 0; i < 300; i++) flooder.provider.awareness.setLocalStateField('cursor', i);
    await sleep(1000);
    const relayed = seen - before;
    expect(relayed).toBeGreaterThan(0);
    expect(relayed).toBeLessThanOrEqual(40);
  });
});

describe('presence is vouched for by the server', () => {
  /** A raw socket on the entity's doc (with `token`, or anonymous) that sends the awareness `states` (client id → clock, state). */
  async function sendPresence(entityId: string, token: string | null, states: [number, number, unknown][]): Promise<WebSocket> {
    const ws = collabSocket(entityId, token);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1); // awareness
    const update = encoding.createEncoder();
    encoding.writeVarUint(update, states.length);
    for (const [clientId, clock, state] of states) {
      encoding.writeVarUint(update, clientId);
      encoding.writeVarUint(update, clock);
      encoding.writeVarString(update, JSON.stringify(state));
    }
    encoding.writeVarUint8Array(encoder, encoding.toUint8Array(update));
    ws.send(encoding.toUint8Array(encoder));
    return ws;
  }
  const userOf = (client: ReturnType<typeof connectClient>, clientId: number) => client.provider.awareness.getStates().get(clientId)?.user;

  it("shows each person under their own name and colour, whatever their client claims; a broken caret is not passed on", async () => {
    const id = await newEntity(alice);
    const watcher = connectClient(id, viewerUser.token);
    const claimer = connectClient(id, alice.token);
    await Promise.all([watcher.synced, claimer.synced]);
    claimer.provider.awareness.setLocalState({ user: { name: 'The teacher', color: 'red; background-image: url(https://evil.example/t.png)' }, cursor: { anchor: {}, head: {} } });
    await eventually(() => expect(watcher.provider.awareness.getStates().get(claimer.doc.clientID)).toEqual({ user: { name: alice.username, color: userColor(alice.username) } }));
  });

  it("no one moves or removes another person's caret; an anonymous reader shows no presence, a connection at most four; the same person's new connection takes over their id", async () => {
    const id = await newEntity(alice);
    const watcher = connectClient(id, viewerUser.token);
    const a = connectClient(id, alice.token);
    await Promise.all([watcher.synced, a.synced]);
    const caret = { anchor: { tname: 'body', assoc: 0 }, head: { tname: 'body', assoc: 0 } };
    a.provider.awareness.setLocalState({ user: { name: alice.username }, cursor: caret });
    await eventually(() => expect(userOf(watcher, a.doc.clientID)?.name).toBe(alice.username));
    const clock = () => watcher.provider.awareness.meta.get(a.doc.clientID)!.clock;

    // Owner's connection writes Alice's id, then takes it off the page; an anonymous one writes a new id.
    const spoofer = await sendPresence(id, owner.token, [[a.doc.clientID, clock() + 10, { user: { name: 'Alice (really)' } }]]);
    const taker = await sendPresence(id, owner.token, [[a.doc.clientID, clock() + 20, null]]);
    const anonymousId = 424242;
    const guest = await sendPresence(id, null, [[anonymousId, 1, { user: { name: 'Guest' } }]]);
    // What they send after it still arrives (their connections stay open): the owner's own presence.
    const ownerId = 515151;
    const marker = await sendPresence(id, owner.token, [[ownerId, 1, { user: { name: 'whoever' } }]]);
    await eventually(() => expect(userOf(watcher, ownerId)?.name).toBe(owner.username));
    expect(watcher.provider.awareness.getStates().get(a.doc.clientID)).toEqual({ user: { name: alice.username, color: userColor(alice.username) }, cursor: caret });
    expect(watcher.provider.awareness.getStates().has(anonymousId)).toBe(false);
    expect([spoofer, taker, guest, marker].map((ws) => ws.readyState)).toEqual([WebSocket.OPEN, WebSocket.OPEN, WebSocket.OPEN, WebSocket.OPEN]);
    // One connection shows at most four people (a y-websocket client is one).
    const crowdIds = Array.from({ length: 10 }, (_, i) => 600_000 + i);
    const crowd = await sendPresence(id, owner.token, crowdIds.map((clientId) => [clientId, 1, { user: { name: 'extra' } }]));
    await eventually(() => expect(crowdIds.filter((clientId) => watcher.provider.awareness.getStates().has(clientId))).toHaveLength(4));
    crowd.close();

    // Alice back on a new connection with the same id (as a y-websocket client reconnects) before
    // the old one is noticed gone: her presence passes to it, and the old one's end (cut, without
    // a word) does not take her off the page.
    const next = clock() + 1;
    const again = await sendPresence(id, alice.token, [[a.doc.clientID, next, { user: { name: alice.username }, cursor: caret }]]);
    await eventually(() => expect(clock()).toBe(next));
    a.provider.shouldConnect = false;
    (a.provider.ws as unknown as WebSocket).terminate();
    await sleep(300);
    expect(userOf(watcher, a.doc.clientID)?.name).toBe(alice.username);
    again.close();
    await eventually(() => expect(watcher.provider.awareness.getStates().has(a.doc.clientID)).toBe(false));
    for (const ws of [spoofer, taker, guest, marker]) ws.close();
  });
});

describe('requests that make the server answer', () => {
  /** A raw socket on the entity's doc that counts, from when `flood` sends, the messages it gets back (by kind; sync by step). */
  async function rawSocket(entityId: string, token: string) {
    const ws = collabSocket(entityId, token);
    const got = new Map<string, number>();
    let counting = false;
    ws.on('message', (data: Buffer) => {
      if (!counting) return;
      const decoder = decoding.createDecoder(new Uint8Array(data));
      const kind = decoding.readVarUint(decoder);
      const name = kind === 0 ? `sync ${decoding.readVarUint(decoder)}` : `kind ${kind}`;
      got.set(name, (got.get(name) ?? 0) + 1);
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    await sleep(300); // what the server sends on joining is not counted
    return {
      got,
      flood(message: Uint8Array, times: number) {
        counting = true;
        for (let i = 0; i < times; i++) ws.send(message);
      },
      close: () => ws.close(),
    };
  }

  it('answers at most about 30 presence queries and 5 sync requests a second from one connection', async () => {
    const id = await newEntity(alice);
    const queries = await rawSocket(id, alice.token);
    queries.flood(Uint8Array.of(3), 300); // query awareness: each answer holds everyone's presence
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, 0);
    syncProtocol.writeSyncStep1(step1, new Y.Doc()); // "I have nothing": each answer is the whole doc
    const syncs = await rawSocket(id, alice.token);
    syncs.flood(encoding.toUint8Array(step1), 100);
    await sleep(1000);
    const answered = { presence: queries.got.get('kind 1') ?? 0, whole: syncs.got.get(`sync ${syncProtocol.messageYjsSyncStep2}`) ?? 0 };
    expect(answered.presence).toBeGreaterThan(0);
    expect(answered.presence).toBeLessThanOrEqual(60);
    expect(answered.whole).toBeGreaterThan(0);
    expect(answered.whole).toBeLessThanOrEqual(10);
    queries.close();
    syncs.close();
  });
});

describe('a page at its size limit', () => {
  /** A paragraph holding `text`, added at the end of the body in a transaction (one update) of its own. */
  const addParagraph = (doc: Y.Doc, text: string) => {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(text)]);
    const body = doc.getXmlFragment('body');
    body.insert(body.length, [paragraph]);
  };
  const bodyText = (doc: Y.Doc) => doc.getXmlFragment('body').toArray().map((p) => (p as Y.XmlElement).toArray().map(String).join(''));

  it('refuses a change that would take the page past 4 MB and tells its sender; what was saved stays, deletions are taken, then the page takes changes again', async () => {
    const id = await newEntity(alice);
    const writer = connectClient(id, alice.token);
    const other = connectClient(id, alice.token);
    await Promise.all([writer.synced, other.synced]);
    const big = (c: string) => c.repeat(1_500_000); // each under the 2 MB a message may hold
    addParagraph(writer.doc, big('a'));
    addParagraph(writer.doc, big('b'));
    await eventually(() => expect(bodyText(other.doc).map((t) => t.length)).toEqual([0, 1_500_000, 1_500_000]), 15_000);

    const refused = new Promise<{ code: number; reason: string }>((resolve) => writer.provider.once('connection-close', (e) => resolve({ code: e?.code ?? 0, reason: e?.reason ?? '' })));
    addParagraph(writer.doc, big('c')); // 4.5 MB in all
    expect(await refused).toEqual({ code: 4413, reason: expect.stringMatching(/size limit \(4 MB\).*not saved/) });
    writer.provider.destroy();
    await sleep(300);
    expect(bodyText(other.doc).map((t) => t[0] ?? '')).toEqual(['', 'a', 'b']); // nobody got it
    expect(other.provider.wsconnected).toBe(true);

    // Shortening a full page works, and then it takes new text again.
    other.doc.getXmlFragment('body').delete(1, 1);
    addParagraph(other.doc, 'After the trim.');
    const reader = connectClient(id, alice.token);
    await reader.synced;
    await eventually(() => expect(bodyText(reader.doc).map((t) => t.slice(0, 15))).toEqual(['', 'bbbbbbbbbbbbbbb', 'After the trim.']), 15_000);
    const { body } = await getJson<{ fields: { title: string } }>(`/api/entities/${id}`);
    expect(body.fields.title).toMatch(/^Collab event /);
  }, 60_000);
});

describe('connections gone silent', () => {
  it('drops a client that stops answering pings: its caret leaves the others’ pages, they stay connected', async () => {
    const app = await startApp({ SEED: '0', DATABASE_URL: inject('databaseKind') === 'postgres' ? await createPostgresDatabase() : '', COLLAB_PING_MS: '300' });
    try {
      const { token, id, connect } = await signUpAndOpen(app.url, 'silent');
      const watcher = connect();
      await watcher.synced;
      let watcherCloses = 0;
      watcher.provider.on('connection-close', () => watcherCloses++);

      // A client whose machine went to sleep: it said who it is, then never answers again (no pong).
      const ghost = new WebSocket(`${app.url.replace('http', 'ws')}/collab/${id}?token=${token}`, { autoPong: false });
      const ghostClosed = new Promise<void>((resolve) => ghost.once('close', () => resolve()));
      await new Promise((resolve, reject) => ghost.once('open', resolve).once('error', reject));
      const presence = new awarenessProtocol.Awareness(new Y.Doc());
      presence.setLocalStateField('user', { name: 'Ghost', color: '#777777' });
      const message = encoding.createEncoder();
      encoding.writeVarUint(message, 1); // awareness
      encoding.writeVarUint8Array(message, awarenessProtocol.encodeAwarenessUpdate(presence, [presence.clientID]));
      ghost.send(encoding.toUint8Array(message));
      presence.destroy();
      await eventually(() => expect(watcher.provider.awareness.getStates().has(presence.clientID)).toBe(true));

      // Gone within a couple of rounds (a client forgets others' carets only after 30 s on its own).
      await ghostClosed;
      await eventually(() => expect(watcher.provider.awareness.getStates().has(presence.clientID)).toBe(false), 3000);
      await sleep(1000); // more rounds: the client that answers stays
      expect(watcherCloses).toBe(0);
      expect(watcher.provider.wsconnected).toBe(true);
      watcher.provider.destroy();
    } finally {
      await app.stop();
    }
  }, 60_000);
});
