import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { appUrl, getJson } from '../helpers/http';
import { call, createUser, uniqueName, type TestUser } from '../helpers/users';
import { connectClient, disconnectAll, eventually, sleep } from '../helpers/collab';

type Rev = { id: string; number: number; kind: string; summary: string; sha256: string; authors: { username: string }[]; sizeDelta: number; restoredFrom: string | null; url: string };

let alice: TestUser;
let outsider: TestUser;

beforeAll(async () => {
  [alice, outsider] = [await createUser('alice'), await createUser('outsider')];
});
afterEach(() => disconnectAll());

async function newEntity(user: TestUser, body: object = {}) {
  return (await (await call('POST', '/api/entities', user, { type: 'treaty', title: uniqueName('Revisioned treaty '), ...body })).json()) as { id: string; slug: string; title: string };
}

async function history(entityId: string, user?: TestUser) {
  return ((await (await call('GET', `/api/entities/${entityId}/revisions`, user)).json()) as { items: Rev[] }).items;
}

/** Edits the entity's live doc through a real client: sets `place` and appends a paragraph's worth of text to the title field. */
async function edit(entityId: string, user: TestUser, place: string) {
  const client = connectClient(entityId, user.token);
  await client.synced;
  client.doc.getMap('fields').set('place', place);
  await sleep(150);
  return client;
}

describe('the history page', () => {
  it('pages through 52 revisions 50 at a time, counting all of them on every page', async () => {
    const entity = await newEntity(alice);
    const client = connectClient(entity.id, alice.token);
    await client.synced;
    for (let n = 2; n <= 52; n++) {
      client.doc.getMap('fields').set('place', `Place ${n}`);
      await eventually(async () => expect((await call('POST', `/api/entities/${entity.id}/revisions`, alice, { summary: `Edit ${n}` })).status).toBe(201));
    }
    const text = async (path: string) => (await (await fetch(appUrl(path), { headers: { cookie: alice.cookie } })).text()).replaceAll('<!-- -->', '');
    const newest = await text(`/wiki/${entity.slug}/history`);
    expect(newest).toContain('52 revisions.');
    expect(newest.match(/aria-label="Compare to revision \d+"/g)).toHaveLength(50);
    expect(newest).toContain('Edit 52');
    const older = newest.match(/href="(\/wiki\/[^"]+\/history\?before=\d+)">Older revisions/)?.[1];
    expect(older).toBeDefined();
    const second = await text(older!.replaceAll('&amp;', '&'));
    expect(second).toContain('52 revisions.');
    expect(second.match(/aria-label="Compare to revision (\d+)"/g)).toEqual(['aria-label="Compare to revision 2"', 'aria-label="Compare to revision 1"']);
    expect(second).toContain('>Newest<');
  });

  it('an unusable "before" shows the newest revisions on the page and is a 400 from the API, never a 500', async () => {
    for (const before of ['99999999999999999999', '-5', '1.5', 'abc', '0']) {
      const res = await fetch(appUrl(`/wiki/treaty-of-rapallo/history?before=${before}`));
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/<a href="\/revisions\/[0-9a-f-]+">1<\/a>/); // the newest (and only) revision's row
    }
    const entity = (await getJson<{ id: string }>('/api/entities/treaty-of-rapallo')).body;
    for (const before of ['99999999999999999999', '0', 'abc']) {
      const res = await fetch(appUrl(`/api/entities/${entity.id}/revisions?before=${before}`));
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_request');
    }
  });

  it('recent changes with a "before" date the database cannot hold (or no date at all) lists the newest changes', async () => {
    for (const before of ['-200000-01-01T00:00:00Z', '%2B275000-01-01T00:00:00Z', 'yesterday']) {
      const res = await fetch(appUrl(`/recent?before=${before}`));
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Older changes'); // the newest page of a wiki with hundreds of revisions
    }
  });
});

describe('creating revisions', () => {
  it('the seed made revision 1 of every seeded entity', async () => {
    const items = await history('mikhail-borodin');
    expect(items.at(-1)).toMatchObject({ number: 1, kind: 'seed' });
  });

  it('"Save revision" records the live content with its authors; an unchanged page records nothing', async () => {
    const entity = await newEntity(alice);
    // The page's first revision is its creator's (who typed its title).
    expect((await history(entity.id)).map((r) => [r.kind, r.authors.map((a) => a.username)])).toEqual([['manual', [alice.username]]]);
    await edit(entity.id, alice, 'Rapallo');
    const saved = await call('POST', `/api/entities/${entity.id}/revisions`, alice, { summary: 'Added the place' });
    expect(saved.status).toBe(201);
    const { revision } = (await saved.json()) as { revision: Rev };
    expect(revision).toMatchObject({ number: 2, kind: 'manual', summary: 'Added the place' });
    expect(revision.authors.map((a) => a.username)).toEqual([alice.username]);
    expect(revision.sizeDelta).toBeGreaterThan(0);
    const again = await call('POST', `/api/entities/${entity.id}/revisions`, alice, { summary: 'Nothing' });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { created: boolean }).created).toBe(false);
    expect(await history(entity.id)).toHaveLength(2);
  });

  it('records an automatic revision when the last editor leaves', async () => {
    const entity = await newEntity(alice);
    await edit(entity.id, alice, 'Genoa');
    disconnectAll();
    await eventually(async () => expect((await history(entity.id))[0]).toMatchObject({ number: 2, kind: 'auto' }), 5000);
  });

  it('records an automatic revision after a while without edits, with the editor still there', async () => {
    const entity = await newEntity(alice);
    await edit(entity.id, alice, 'Moscow'); // the test app waits 1.5 s of idleness
    await eventually(async () => expect((await history(entity.id))[0]).toMatchObject({ number: 2, kind: 'auto' }), 6000);
  });

  it('refuses a summary over 500 characters, and saving without edit rights', async () => {
    const entity = await newEntity(alice);
    expect((await call('POST', `/api/entities/${entity.id}/revisions`, alice, { summary: 'x'.repeat(501) })).status).toBe(400);
    expect((await call('POST', `/api/entities/${entity.id}/revisions`, null, { summary: 'anon' })).status).toBe(401);
  });
});

describe('reading, comparing and citing', () => {
  it('serves a revision as JSON, HTML, text, hash and authors', async () => {
    const [first] = (await history('treaty-of-rapallo')).slice(-1);
    const { status, body } = await getJson<{ number: number; json: { fields: { title: string } }; html: string; text: string; hash: string; authors: unknown[] }>(`/api/revisions/${first.id}`);
    expect(status).toBe(200);
    expect(body.json.fields.title).toBe('Treaty of Rapallo');
    expect(body.html).toMatch(/^<p>/);
    expect(body.text.length).toBeGreaterThan(50);
    expect(body.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('diffs two revisions: field changes and body words', async () => {
    const entity = await newEntity(alice);
    await edit(entity.id, alice, 'Rapallo');
    await call('POST', `/api/entities/${entity.id}/revisions`, alice, { summary: 'place' });
    const [to, from] = await history(entity.id);
    const { status, body } = await getJson<{ fields: { field: string; before: unknown; after: unknown }[] }>(`/api/revisions/${to.id}/diff?against=${from.id}`);
    expect(status).toBe(200);
    expect(body.fields).toEqual([{ field: 'place', before: null, after: 'Rapallo' }]);
    const page = await (await fetch(appUrl(`/revisions/${to.id}/diff?against=${from.id}&view=side`))).text();
    // The field reads as the infobox names it; the side where it was not set is a dash, not struck-out text.
    expect(page).toMatch(/<th scope="row"[^>]*>Place<\/th><td[^>]*><span class="text-muted">—<\/span><\/td><td><ins[^>]*>Rapallo<\/ins><\/td>/);
  });

  it('shows what a first revision brought (against nothing: all of it added), and still 404s an unknown one to compare with', async () => {
    const [first] = (await history('treaty-of-rapallo')).slice(-1);
    const res = await fetch(appUrl(`/revisions/${first.id}/diff`));
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('is the page’s first: all of it is new');
    expect(page).toMatch(/<ins[^>]*>[^<]*Treaty of Rapallo/); // the title field, added
    expect((await fetch(appUrl(`/revisions/${first.id}/diff?against=00000000-0000-4000-8000-000000000000`))).status).toBe(404);
    const revisionPage = await (await fetch(appUrl(`/revisions/${first.id}`))).text();
    expect(revisionPage).toContain(`href="/revisions/${first.id}/diff"`); // "Changes in this revision"
  });

  it('refuses to compare revisions of different entities (400) and unknown revisions (404)', async () => {
    const [a] = await history('treaty-of-rapallo');
    const [b] = await history('mikhail-borodin');
    expect((await getJson(`/api/revisions/${a.id}/diff?against=${b.id}`)).status).toBe(400);
    expect((await getJson(`/api/revisions/${a.id}/diff?against=00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await getJson(`/api/revisions/not-a-revision`)).status).toBe(404);
    expect((await getJson(`/api/revisions/${a.id}/diff?against=nope`)).status).toBe(400);
  });

  it('cites a revision in every style, with its permalink and hash', async () => {
    const [rev] = await history('mikhail-borodin');
    for (const style of ['apa', 'mla', 'chicago', 'bibtex', 'ris', 'csl']) {
      const res = await fetch(appUrl(`/api/revisions/${rev.id}/cite?style=${style}`));
      expect(res.status, style).toBe(200);
      const text = await res.text();
      expect(text, style).toContain(`/revisions/${rev.id}`);
      expect(text, style).toContain(rev.sha256.slice(0, 12));
    }
    expect((await fetch(appUrl(`/api/revisions/${rev.id}/cite?style=harvard`))).status).toBe(400);
  });

  it('verifies a permalink and hash', async () => {
    const [rev] = await history('comintern');
    const yes = await (await fetch(appUrl(`/verify?ref=${encodeURIComponent(appUrl(`/revisions/${rev.id}`))}&hash=${rev.sha256.slice(0, 12)}`))).text();
    expect(yes).toContain('data-verified="yes"');
    const no = await (await fetch(appUrl(`/verify?ref=${rev.id}&hash=${'0'.repeat(12)}`))).text();
    expect(no).toContain('data-verified="no"');
  });

  it('shows the history, the revision page with its banner, recent changes and contributions', async () => {
    const entity = await newEntity(alice);
    // One revision: nothing to compare it with, so no compare form.
    const single = await (await fetch(appUrl(`/wiki/${entity.slug}/history`))).text();
    expect(single).toContain('Created the page');
    expect(single).not.toContain('Compare selected revisions');
    expect(single).not.toContain('name="from"');
    await edit(entity.id, alice, 'Locarno');
    await call('POST', `/api/entities/${entity.id}/revisions`, alice, { summary: 'Locarno it is' });
    const [latest, first] = await history(entity.id);
    const both = await (await fetch(appUrl(`/wiki/${entity.slug}/history`))).text();
    expect(both).toContain('Locarno it is');
    expect(both).toContain('Compare selected revisions');
    const old = await (await fetch(appUrl(`/revisions/${first.id}`))).text();
    expect(old).toMatch(/revision <!-- -->1<!-- --> of <!-- -->2|revision 1 of 2/);
    expect(old).toContain('Changes since');
    expect(await (await fetch(appUrl(`/recent?user=${alice.username}`))).text()).toContain(entity.title);
    expect(await (await fetch(appUrl(`/users/${alice.username}`))).text()).toContain('Locarno it is');
    expect((await fetch(appUrl('/users/nobody-at-all-here'))).status).toBe(404);
    expect(latest.number).toBe(2);
  });
});

describe('restoring', () => {
  it('applies the old content to the live doc (a connected client sees it) and records a restore revision', async () => {
    const entity = await newEntity(alice);
    const client = await edit(entity.id, alice, 'Versailles');
    await call('POST', `/api/entities/${entity.id}/revisions`, alice, { summary: 'Versailles' });
    const [, first] = await history(entity.id);
    const res = await call('POST', `/api/entities/${entity.id}/restore`, alice, { revisionId: first.id });
    expect(res.status).toBe(201);
    const { revision } = (await res.json()) as { revision: Rev };
    expect(revision).toMatchObject({ number: 3, kind: 'restore', restoredFrom: first.id });
    await eventually(() => expect(client.doc.getMap('fields').toJSON().place).toBeUndefined());
    await eventually(async () => expect((await getJson<{ fields: { place?: string } }>(`/api/entities/${entity.id}`)).body.fields.place).toBeUndefined());
  });

  it('refuses a restore without edit permission (403), of a foreign revision (400) or a private one (404)', async () => {
    const entity = await newEntity(alice);
    const [first] = await history(entity.id);
    expect((await call('POST', `/api/entities/${entity.id}/restore`, null, { revisionId: first.id })).status).toBe(401);
    const owner = await createUser('owner');
    const group = ((await (await call('POST', '/api/groups', owner, { name: uniqueName('Rev group ') })).json()) as { id: string }).id;
    const publicGroupEntity = await newEntity(owner, { groupId: group, visibility: 'public' });
    const [pg] = await history(publicGroupEntity.id);
    expect((await call('POST', `/api/entities/${publicGroupEntity.id}/restore`, outsider, { revisionId: pg.id })).status).toBe(403);
    expect((await call('POST', `/api/entities/${entity.id}/restore`, alice, { revisionId: pg.id })).status).toBe(400);
    const privateEntity = await newEntity(owner, { groupId: group, visibility: 'group' });
    const [priv] = await history(privateEntity.id, owner);
    expect((await call('GET', `/api/revisions/${priv.id}`, outsider)).status).toBe(404);
    expect((await call('GET', `/revisions/${priv.id}`, outsider)).status).toBe(404);
    expect((await call('POST', `/api/entities/${entity.id}/restore`, alice, { revisionId: priv.id })).status).toBe(404);
  });
});
