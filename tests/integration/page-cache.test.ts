import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { appUrl } from '../helpers/http';
import { call, createUser, uniqueName, type TestUser } from '../helpers/users';
import { connectClient, disconnectAll, eventually, sleep } from '../helpers/collab';

// Revision, diff and history pages are kept (server/http/page-cache.ts): one copy for readers
// who are not signed in, one per signed-in reader; none may outlive a change to what it shows.

let alice: TestUser;

beforeAll(async () => {
  alice = await createUser('cachealice');
});
afterEach(() => disconnectAll());

type Page = { status: number; cache: string | null; html: string; text: string };

/** GET a page anonymously (or as `user`); `text` is the HTML without React's text separators. */
async function page(path: string, user?: TestUser): Promise<Page> {
  const res = await fetch(appUrl(path), { headers: user ? { cookie: user.cookie } : {} });
  const html = await res.text();
  return { status: res.status, cache: res.headers.get('x-page-cache'), html, text: html.replaceAll('<!-- -->', '') };
}

/**
 * Asks for a page until a second request in a row comes from the cache (whatever other tests'
 * background work, e.g. an automatic revision, bumped meanwhile); returns both.
 */
async function cachedTwice(path: string, user?: TestUser): Promise<[Page, Page]> {
  let pair: [Page, Page] | null = null;
  await eventually(async () => {
    const first = await page(path, user);
    const second = await page(path, user);
    expect(second.cache).toBe('hit');
    pair = [first, second];
  });
  return pair!;
}

async function newEntity(body: object = {}) {
  return (await (await call('POST', '/api/entities', alice, { type: 'treaty', title: uniqueName('Cached treaty '), ...body })).json()) as { id: string; slug: string; title: string };
}

async function revisions(entityId: string) {
  return ((await (await call('GET', `/api/entities/${entityId}/revisions`, alice)).json()) as { items: { id: string; number: number }[] }).items;
}

describe('pages cached for readers who are not signed in', () => {
  it('the second anonymous view of a revision comes from the cache, byte for byte; a signed-in reader never gets that copy', async () => {
    const e = await newEntity();
    const [rev] = await revisions(e.id);
    expect(await page(`/revisions/${rev.id}`)).toMatchObject({ status: 200, cache: 'miss' });
    const [first, second] = await cachedTwice(`/revisions/${rev.id}`);
    expect(second.html).toBe(first.html);
    const signedIn = await page(`/revisions/${rev.id}`, alice);
    expect(signedIn).toMatchObject({ status: 200, cache: 'miss' });
    expect(signedIn.text).toContain('Sign out');
  });

  it('a signed-in reader gets a copy of their own: their name on it, never another reader’s', async () => {
    const bob = await createUser('cachebob');
    const e = await newEntity();
    const path = `/wiki/${e.slug}/history`;
    await cachedTwice(path); // the anonymous copy
    const [, aliceAgain] = await cachedTwice(path, alice);
    expect(aliceAgain.text).toContain(`Account menu for ${alice.username}`);
    const bobFirst = await page(path, bob);
    expect(bobFirst.cache).toBe('miss');
    const [, bobAgain] = await cachedTwice(path, bob);
    expect(bobAgain.text).toContain(`Account menu for ${bob.username}`);
    expect(bobAgain.text).not.toContain(`Account menu for ${alice.username}`); // (Alice's name is on the page as its first revision's author)
    expect((await page(path)).text).not.toContain('Account menu');
  });

  it('a signed-in reader’s copy follows their roles and their session: made an editor, they see Restore at once; signed out, the old cookie gets no copy', async () => {
    const bob = await createUser('cachebob');
    const group = ((await (await call('POST', '/api/groups', alice, { name: uniqueName('Cache editors ') })).json()) as { id: string }).id;
    const e = await newEntity({ groupId: group });
    const client = connectClient(e.id, alice.token);
    await client.synced;
    client.doc.getMap('fields').set('place', 'Rapallo');
    await eventually(async () => expect((await call('POST', `/api/entities/${e.id}/revisions`, alice, { summary: 'Place' })).status).toBe(201));
    const older = (await revisions(e.id)).find((r) => r.number === 1)!;
    const path = `/revisions/${older.id}`;

    const [, asReader] = await cachedTwice(path, bob); // a public page of a group bob is not in: he reads it, may not restore
    expect(asReader.text).toContain('revision 1 of 2');
    expect(asReader.text).not.toContain('Restore this revision');
    expect((await call('POST', `/api/groups/${group}/members`, alice, { username: bob.username, role: 'editor' })).status).toBe(200);
    const asEditor = await page(path, bob);
    expect(asEditor.cache).toBe('miss');
    expect(asEditor.text).toContain('Restore this revision');

    await cachedTwice(path, bob);
    expect((await call('POST', '/api/auth/logout', bob)).status).toBeLessThan(300);
    const signedOut = await page(path, bob);
    expect(signedOut.cache).not.toBe('hit');
    expect(signedOut.text).not.toContain(bob.username);
    expect(signedOut.text).not.toContain('Restore this revision');
  });

  it('client-side navigations (RSC requests) and HEAD requests never get the cached HTML', async () => {
    const e = await newEntity();
    await cachedTwice(`/wiki/${e.slug}/history`);
    const rsc = await fetch(appUrl(`/wiki/${e.slug}/history`), { headers: { rsc: '1' } });
    expect(rsc.status).toBe(200);
    expect(rsc.headers.get('x-page-cache')).toBeNull();
    expect(rsc.headers.get('content-type')).toContain('text/x-component');
    const head = await fetch(appUrl(`/wiki/${e.slug}/history`), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-page-cache')).toBeNull();
  });

  it('a saved revision shows at once in the history and in the banner of older revisions', async () => {
    const e = await newEntity();
    const [first] = await revisions(e.id);
    expect((await cachedTwice(`/wiki/${e.slug}/history`))[1].text).toContain('1 revision.');
    expect((await cachedTwice(`/revisions/${first.id}`))[1].text).toContain('revision 1 of 1');

    const client = connectClient(e.id, alice.token);
    await client.synced;
    client.doc.getMap('fields').set('place', 'Rapallo');
    await eventually(async () => expect((await call('POST', `/api/entities/${e.id}/revisions`, alice, { summary: 'Place' })).status).toBe(201));

    const history = await page(`/wiki/${e.slug}/history`);
    expect(history.cache).toBe('miss');
    expect(history.text).toContain('2 revisions');
    expect((await page(`/revisions/${first.id}`)).text).toContain('revision 1 of 2');
  });

  it('a page made group-only is refused to anonymous readers at once, not served from the cache', async () => {
    const group = ((await (await call('POST', '/api/groups', alice, { name: uniqueName('Cache group ') })).json()) as { id: string }).id;
    const e = await newEntity({ groupId: group });
    const [rev] = await revisions(e.id);
    for (const path of [`/revisions/${rev.id}`, `/wiki/${e.slug}/history`]) await cachedTwice(path);
    expect((await call('PATCH', `/api/entities/${e.id}`, alice, { visibility: 'group' })).status).toBe(200);
    expect((await page(`/revisions/${rev.id}`)).status).toBe(404);
    expect((await page(`/wiki/${e.slug}/history`)).status).toBe(404);
    expect((await page(`/revisions/${rev.id}`, alice)).status).toBe(200); // the owner still reads it
  });

  it('a title changed live in the editor shows at once on the anonymous history page; a body edit keeps the cache', async () => {
    const e = await newEntity();
    const client = connectClient(e.id, alice.token);
    await client.synced;
    await cachedTwice(`/wiki/${e.slug}/history`);
    client.doc.getMap('fields').set('summary', 'Only the summary changed.');
    await sleep(300);
    expect((await page(`/wiki/${e.slug}/history`)).cache).toBe('hit');
    const title = uniqueName('Renamed cached treaty ');
    client.doc.getMap('fields').set('title', title);
    await eventually(async () => expect((await page(`/wiki/${e.slug}/history`)).text).toContain(title));
  });
});
