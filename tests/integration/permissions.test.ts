import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, createUser, uniqueName, type TestUser } from '../helpers/users';
import { connectClient, disconnectAll, eventually, sleep, upgradeStatus } from '../helpers/collab';
import { getJson } from '../helpers/http';

type Actor = 'anonymous' | 'outsider' | 'viewer' | 'editor' | 'owner' | 'admin';
type Kind = 'commons' | 'publicGroup' | 'privateGroup';
const ACTORS: Actor[] = ['anonymous', 'outsider', 'viewer', 'editor', 'owner', 'admin'];
const KINDS: Kind[] = ['commons', 'publicGroup', 'privateGroup'];

const users: Partial<Record<Actor, TestUser>> = {};
let groupId = '';
let otherGroupId = '';
const entity: Partial<Record<Kind, string>> = {};

beforeAll(async () => {
  for (const actor of ACTORS) if (actor !== 'anonymous') users[actor] = await createUser(actor, actor === 'admin' ? 'admin' : undefined);
  const group = await call('POST', '/api/groups', users.owner, { name: uniqueName('History 101 ') });
  groupId = ((await group.json()) as { id: string }).id;
  for (const role of ['viewer', 'editor'] as const) {
    expect((await call('POST', `/api/groups/${groupId}/members`, users.owner, { username: users[role]!.username, role })).status).toBe(200);
  }
  const other = await call('POST', '/api/groups', users.outsider, { name: uniqueName('Other group ') });
  otherGroupId = ((await other.json()) as { id: string }).id;
  const make = async (body: object) => ((await (await call('POST', '/api/entities', users.owner, { type: 'person', ...body })).json()) as { id: string }).id;
  entity.commons = await make({ title: uniqueName('Commons person ') });
  entity.publicGroup = await make({ title: uniqueName('Public group person '), groupId, visibility: 'public' });
  entity.privateGroup = await make({ title: uniqueName('Private group person '), groupId, visibility: 'group' });
}, 60_000);

afterEach(() => disconnectAll());

/** Runs a request as each actor and collects the statuses, to compare with a whole table at once. */
async function statuses(run: (user: TestUser | undefined, actor: Actor) => Promise<Response>): Promise<Record<Actor, number>> {
  const out = {} as Record<Actor, number>;
  for (const actor of ACTORS) out[actor] = (await run(users[actor], actor)).status;
  return out;
}

describe('permission matrix (HTTP)', () => {
  it('reading an entity: private group entities 404 to outsiders', async () => {
    const table: Record<Kind, Record<Actor, number>> = {} as never;
    for (const kind of KINDS) table[kind] = await statuses((u) => call('GET', `/api/entities/${entity[kind]}`, u));
    expect(table).toEqual({
      commons: { anonymous: 200, outsider: 200, viewer: 200, editor: 200, owner: 200, admin: 200 },
      publicGroup: { anonymous: 200, outsider: 200, viewer: 200, editor: 200, owner: 200, admin: 200 },
      privateGroup: { anonymous: 404, outsider: 404, viewer: 200, editor: 200, owner: 200, admin: 200 },
    });
  });

  it('changing an entity’s settings (PATCH): owners of its group and admins', async () => {
    const table: Record<Kind, Record<Actor, number>> = {} as never;
    for (const kind of KINDS) {
      const visibility = kind === 'privateGroup' ? 'group' : 'public';
      table[kind] = await statuses((u) => call('PATCH', `/api/entities/${entity[kind]}`, u, { visibility }));
    }
    expect(table).toEqual({
      commons: { anonymous: 401, outsider: 403, viewer: 403, editor: 403, owner: 403, admin: 200 },
      publicGroup: { anonymous: 401, outsider: 403, viewer: 403, editor: 403, owner: 200, admin: 200 },
      privateGroup: { anonymous: 401, outsider: 404, viewer: 403, editor: 403, owner: 200, admin: 200 },
    });
  });

  it('protecting a page: admins only', async () => {
    const table = await statuses((u) => call('PATCH', `/api/entities/${entity.publicGroup}`, u, { protected: false, visibility: 'public' }));
    expect(table).toEqual({ anonymous: 401, outsider: 403, viewer: 403, editor: 403, owner: 200, admin: 200 });
    const protect = await statuses((u) => call('PATCH', `/api/entities/${entity.publicGroup}`, u, { protected: true }));
    expect(protect).toEqual({ anonymous: 401, outsider: 403, viewer: 403, editor: 403, owner: 403, admin: 200 });
    expect((await call('PATCH', `/api/entities/${entity.publicGroup}`, users.admin, { protected: false })).status).toBe(200);
  });

  it('creating an entity: in the commons any account, in a group its editors and owners', async () => {
    const commons = await statuses((u) => call('POST', '/api/entities', u, { type: 'event', title: uniqueName('New event ') }));
    expect(commons).toEqual({ anonymous: 401, outsider: 201, viewer: 201, editor: 201, owner: 201, admin: 201 });
    const inGroup = await statuses((u) => call('POST', '/api/entities', u, { type: 'event', title: uniqueName('Group event '), groupId, visibility: 'group' }));
    expect(inGroup).toEqual({ anonymous: 401, outsider: 403, viewer: 403, editor: 201, owner: 201, admin: 201 });
  });

  it('managing members: the group’s owners and admins; the group is invisible to outsiders', async () => {
    const add = await statuses(async (u) => {
      const target = await createUser('member');
      return call('POST', `/api/groups/${groupId}/members`, u, { username: target.username, role: 'viewer' });
    });
    expect(add).toEqual({ anonymous: 401, outsider: 404, viewer: 403, editor: 403, owner: 200, admin: 200 });
    const view = await statuses((u) => call('GET', `/api/groups/${groupId}`, u));
    expect(view).toEqual({ anonymous: 404, outsider: 404, viewer: 200, editor: 200, owner: 200, admin: 200 });
    const remove = await statuses(async (u) => {
      const target = await createUser('member');
      await call('POST', `/api/groups/${groupId}/members`, users.owner, { username: target.username, role: 'viewer' });
      return call('DELETE', `/api/groups/${groupId}/members/${target.username}`, u);
    });
    expect(remove).toEqual({ anonymous: 401, outsider: 404, viewer: 403, editor: 403, owner: 204, admin: 204 });
  });

  it('refuses mixed ids: moving an entity into a group where the caller cannot edit', async () => {
    // The owner manages the entity but has no role in the other group.
    const res = await call('PATCH', `/api/entities/${entity.publicGroup}`, users.owner, { groupId: otherGroupId });
    expect(res.status).toBe(403);
    // And a member of another group cannot remove members of this one by naming them.
    const other = await call('DELETE', `/api/groups/${otherGroupId}/members/${users.editor!.username}`, users.outsider);
    expect(other.status).toBe(404);
    expect((await getJson<{ groupId: string }>(`/api/entities/${entity.publicGroup}`)).body.groupId).toBe(groupId);
  });

  it('keeps private entities out of lists and search for outsiders', async () => {
    const title = ((await (await call('GET', `/api/entities/${entity.privateGroup}`, users.owner)).json()) as { title: string }).title;
    const asOutsider = await (await call('GET', `/api/search?q=${encodeURIComponent(title)}`, users.outsider)).text();
    const asMember = await (await call('GET', `/api/search?q=${encodeURIComponent(title)}`, users.viewer)).text();
    expect(asOutsider).not.toContain(entity.privateGroup);
    expect(asMember).toContain(entity.privateGroup);
    const page = await call('GET', `/wiki/${entity.privateGroup}`, users.outsider);
    expect(page.status).toBe(404);
  });
});

describe('permission matrix (socket)', () => {
  /** What an actor can do on an entity's socket: `none` (refused), `read` (edits dropped) or `edit`. */
  async function socketAccess(actor: Actor, kind: Kind): Promise<'none' | 'read' | 'edit'> {
    const token = users[actor]?.token;
    const status = await upgradeStatus(entity[kind]!, token);
    if (status !== 101) {
      expect(status).toBe(404);
      return 'none';
    }
    const client = connectClient(entity[kind]!, token);
    await client.synced;
    const probe = `${actor}-${Date.now()}`;
    client.doc.getMap('fields').set(`probe_${actor}`, probe);
    await sleep(150);
    const check = connectClient(entity[kind]!, users.admin!.token);
    await check.synced;
    return check.doc.getMap('fields').toJSON()[`probe_${actor}`] === probe ? 'edit' : 'read';
  }

  it('matches the policies for every actor and kind of entity', async () => {
    const table: Record<Kind, Record<Actor, string>> = {} as never;
    for (const kind of KINDS) {
      table[kind] = {} as Record<Actor, string>;
      for (const actor of ACTORS) table[kind][actor] = await socketAccess(actor, kind);
      disconnectAll();
    }
    expect(table).toEqual({
      commons: { anonymous: 'read', outsider: 'edit', viewer: 'edit', editor: 'edit', owner: 'edit', admin: 'edit' },
      publicGroup: { anonymous: 'read', outsider: 'read', viewer: 'read', editor: 'edit', owner: 'edit', admin: 'edit' },
      privateGroup: { anonymous: 'none', outsider: 'none', viewer: 'read', editor: 'edit', owner: 'edit', admin: 'edit' },
    });
  });

  it('tells a read-only client that its edits were refused', async () => {
    const client = connectClient(entity.publicGroup!, users.viewer!.token);
    await client.synced;
    await eventually(() => expect(client.denied.join(' ')).toMatch(/read-only/));
  });

  it('a protected page is edited by admins only', async () => {
    const title = uniqueName('Protected ');
    const id = ((await (await call('POST', '/api/entities', users.outsider, { type: 'treaty', title })).json()) as { id: string }).id;
    expect((await call('PATCH', `/api/entities/${id}`, users.admin, { protected: true })).status).toBe(200);
    const client = connectClient(id, users.outsider!.token);
    await client.synced;
    client.doc.getMap('fields').set('title', 'Vandalised');
    await sleep(300);
    const check = connectClient(id, users.admin!.token);
    await check.synced;
    expect(check.doc.getMap('fields').toJSON().title).toBe(title);
  });
});

describe('revocation', () => {
  it('closes an open socket within seconds when its token is revoked', async () => {
    const user = await createUser('revoke');
    const client = connectClient(entity.commons!, user.token);
    await client.synced;
    const tokens = (await (await call('GET', '/api/tokens', user)).json()) as { items: { id: string }[] };
    const started = Date.now();
    expect((await call('DELETE', `/api/tokens/${tokens.items[0].id}`, user)).status).toBe(204);
    expect(await client.closed).toBe(4401);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('downgrades an open socket to read-only when the member is removed from the group', async () => {
    const member = await createUser('leaver');
    await call('POST', `/api/groups/${groupId}/members`, users.owner, { username: member.username, role: 'editor' });
    const client = connectClient(entity.privateGroup!, member.token);
    await client.synced;
    expect((await call('DELETE', `/api/groups/${groupId}/members/${member.username}`, users.owner)).status).toBe(204);
    // Private entity: a non-member may not even read it, so the socket is closed.
    expect(await client.closed).toBe(4403);
  });
});
