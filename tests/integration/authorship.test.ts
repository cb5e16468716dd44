import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appUrl, getJson } from '../helpers/http';
import { call, createUser, uniqueName, type TestUser } from '../helpers/users';
import { connectClient, disconnectAll, eventually, sleep } from '../helpers/collab';

type Authorship = {
  authors: { id: string | null; username: string | null; chars: number; share: number }[];
  blocks: { kind: string; within: string | null; runs: { text: string; author: number }[] }[];
  fields: { key: string; value: unknown; runs: { text: string; author: number }[] }[];
  statements: { predicate: string; targetEntityId: string; author: number }[];
};

let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  [alice, bob] = [await createUser('alice'), await createUser('bob')];
});
afterEach(() => disconnectAll());

async function newEntity(user: TestUser, extra: object = {}) {
  return (await (await call('POST', '/api/entities', user, { type: 'treaty', title: uniqueName('Authored treaty '), ...extra })).json()) as { id: string; slug: string };
}

async function authorship(entityId: string, user?: TestUser | null) {
  const res = await call('GET', `/api/entities/${entityId}/authorship`, user);
  expect(res.status).toBe(200);
  return (await res.json()) as Authorship;
}

/** The body's runs as "author: text", joined across blocks. */
function runsByName(a: Authorship): string[] {
  return a.blocks.flatMap((b) => b.runs.map((r) => `${a.authors[r.author].username ?? '(none)'}: ${r.text}`));
}

/** The field's text as "author: text" runs. */
function fieldRuns(a: Authorship, key: string): string[] | undefined {
  return a.fields.find((f) => f.key === key)?.runs.map((r) => `${a.authors[r.author].username ?? '(none)'}: ${r.text}`);
}

function bodyText(doc: Y.Doc): Y.XmlText {
  return (doc.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText;
}

describe('authorship of the current text', () => {
  it('attributes each passage, field and relation to the account whose editor typed it', async () => {
    const entity = await newEntity(alice);
    const target = await newEntity(alice);
    const a = connectClient(entity.id, alice.token);
    await a.synced;
    a.doc.transact(() => {
      const body = a.doc.getXmlFragment('body');
      body.delete(0, body.length);
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('Alice wrote this.')]);
      body.insert(0, [paragraph]);
    });
    const b = connectClient(entity.id, bob.token);
    await b.synced;
    await eventually(() => expect(bodyText(b.doc).toString()).toBe('Alice wrote this.'));
    bodyText(b.doc).insert(5, ' and Bob');
    b.doc.getMap('fields').set('status', 'In force'); // set before the place, listed after it (the infobox's order)
    b.doc.getMap('fields').set('place', 'Genoa');
    const title = b.doc.getMap('fields').get('title') as Y.Text; // the creator's title: a text, typed into
    title.insert(title.length, ' (amended)');
    b.doc.getArray('statements').push([{ id: 's1', predicate: 'part_of', targetEntityId: target.id, qualifiers: {}, citations: [] }]);
    await eventually(() => expect(bodyText(a.doc).toString()).toBe('Alice and Bob wrote this.'));

    const result = await eventually(async () => {
      const current = await authorship(entity.id, alice);
      expect(runsByName(current)).toEqual([`${alice.username}: Alice`, `${bob.username}:  and Bob`, `${alice.username}:  wrote this.`]);
      return current;
    });
    expect(result.authors.map((x) => [x.username, x.chars])).toEqual([
      [alice.username, 'Alice wrote this.'.length],
      [bob.username, ' and Bob'.length],
    ]);
    expect(result.authors[0].share).toBeCloseTo(17 / 25);
    // The creator typed the title and Bob added to it; Bob set the place and added the relation.
    const typedTitle = result.fields.find((f) => f.key === 'title')!.value as string;
    expect(fieldRuns(result, 'title')).toEqual([`${alice.username}: ${typedTitle.slice(0, -' (amended)'.length)}`, `${bob.username}:  (amended)`]);
    expect(fieldRuns(result, 'place')).toEqual([`${bob.username}: Genoa`]);
    expect(result.statements.map((s) => [s.targetEntityId, result.authors[s.author].username])).toEqual([[target.id, bob.username]]);

    // The page shows the same, each passage marked with its author.
    const page = await (await fetch(appUrl(`/wiki/${entity.slug}/authorship`), { headers: { cookie: bob.cookie } })).text();
    expect(page).toContain(`data-author="${bob.username}"> and Bob</span>`);
    expect(page).toContain(`title="Written by ${alice.username}"`);
    expect(page.replaceAll('<!-- -->', '')).toMatch(/68(\.0)?% of the text \(17 characters\)/);
    const rows = [...page.matchAll(/<th scope="row"[^>]*>([^<]+)<\/th>/g)].map((m) => m[1]);
    expect(rows).toEqual(['Title', 'Place', 'Status']);
  });

  it('a field set as a plain value (as docs made before fields were texts hold them) is a text when the doc is next opened, still its setter’s, and takes typing from two clients', async () => {
    const entity = await newEntity(alice);
    const b = connectClient(entity.id, bob.token);
    await b.synced;
    b.doc.getMap('fields').set('place', 'Genoa');
    b.doc.getMap('fields').set('aliases', ['Genoa accord', 'Genoa pact']);
    await sleep(200);
    disconnectAll();
    await sleep(800); // its last client gone, the doc is unloaded

    const [a, again] = [connectClient(entity.id, alice.token), connectClient(entity.id, bob.token)];
    await Promise.all([a.synced, again.synced]);
    const [placeA, placeB] = [a.doc.getMap('fields').get('place'), again.doc.getMap('fields').get('place')];
    expect(placeA).toBeInstanceOf(Y.Text);
    expect(String(placeA)).toBe('Genoa');
    expect(String(a.doc.getMap('fields').get('aliases'))).toBe('Genoa accord; Genoa pact');
    (placeA as Y.Text).insert(0, 'Old ');
    (placeB as Y.Text).insert(5, ', Italy');
    for (const client of [a, again]) await eventually(() => expect(String(client.doc.getMap('fields').get('place'))).toBe('Old Genoa, Italy'));
    await eventually(async () => {
      const result = await authorship(entity.id);
      expect(fieldRuns(result, 'place')).toEqual([`${alice.username}: Old `, `${bob.username}: Genoa, Italy`]);
      expect(fieldRuns(result, 'aliases')).toEqual([`${bob.username}: Genoa accord; Genoa pact`]);
      expect(result.fields.find((f) => f.key === 'aliases')?.value).toEqual(['Genoa accord', 'Genoa pact']);
    });
  });

  it('the seed text belongs to no account, and says so', async () => {
    const { body: rapallo } = await getJson<{ id: string }>('/api/entities/treaty-of-rapallo');
    const result = await authorship(rapallo.id);
    expect(result.authors).toEqual([expect.objectContaining({ id: null, username: null, share: 1 })]);
    expect(result.blocks.length).toBeGreaterThan(0);
    const page = await (await fetch(appUrl('/wiki/treaty-of-rapallo/authorship'))).text();
    expect(page).toContain('Not attributed: text that came with the page when the site was set up');
  });

  it('what a restore changes is the restorer’s edit: two people restoring in turn each get their own text', async () => {
    const entity = await newEntity(alice);
    const a = connectClient(entity.id, alice.token); // stays connected: the restores change the live doc
    await a.synced;
    const setText = async (text: string) => {
      a.doc.transact(() => {
        const body = a.doc.getXmlFragment('body');
        body.delete(0, body.length);
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.insert(0, [new Y.XmlText(text)]);
        body.insert(0, [paragraph]);
      });
      await eventually(async () => expect((await call('POST', `/api/entities/${entity.id}/revisions`, alice, { summary: text })).status).toBe(201));
      return ((await (await call('GET', `/api/entities/${entity.id}/revisions`, alice)).json()) as { items: { id: string }[] }).items[0].id;
    };
    const first = await setText('First version.');
    const second = await setText('Second version.');

    expect((await call('POST', `/api/entities/${entity.id}/restore`, bob, { revisionId: first })).status).toBe(201);
    await eventually(() => expect(bodyText(a.doc).toString()).toBe('First version.'));
    // A restore changes only what differs: " version." is still the text Alice typed.
    expect(runsByName(await authorship(entity.id))).toEqual([`${bob.username}: First`, `${alice.username}:  version.`]);

    expect((await call('POST', `/api/entities/${entity.id}/restore`, alice, { revisionId: second })).status).toBe(201);
    await eventually(() => expect(bodyText(a.doc).toString()).toBe('Second version.'));
    expect(runsByName(await authorship(entity.id))).toEqual([`${alice.username}: Second version.`]);
  });

  it('is only for those who may read the page (404 otherwise, as for the page itself)', async () => {
    const group = ((await (await call('POST', '/api/groups', alice, { name: uniqueName('Authorship group ') })).json()) as { id: string }).id;
    const hidden = await newEntity(alice, { groupId: group, visibility: 'group' });
    expect((await authorship(hidden.id, alice)).authors.map((x) => x.username)).toEqual([alice.username]);
    expect((await call('GET', `/api/entities/${hidden.id}/authorship`, bob)).status).toBe(404);
    expect((await call('GET', `/api/entities/${hidden.id}/authorship`, null)).status).toBe(404);
    expect((await fetch(appUrl(`/wiki/${hidden.slug}/authorship`), { headers: { cookie: bob.cookie } })).status).toBe(404);
    expect((await call('GET', '/api/entities/00000000-0000-4000-8000-000000000000/authorship', alice)).status).toBe(404);
  });
});
