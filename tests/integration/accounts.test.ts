import { describe, expect, it } from 'vitest';
import { appUrl } from '../helpers/http';
import { call, createUser, sameOrigin, uniqueName } from '../helpers/users';

describe('sign up, sign in, sign out', () => {
  it('signs up with a session cookie that is httpOnly and SameSite=Lax', async () => {
    const username = uniqueName('alice');
    const res = await call('POST', '/api/auth/signup', null, { username, password: 'correct horse battery' });
    expect(res.status).toBe(201);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^kb_session=kbs_[\w-]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    const me = await call('GET', '/api/auth/me', { cookie: cookie.split(';')[0] });
    expect(((await me.json()) as { user: { username: string } }).user.username).toBe(username);
  });

  it('explains what is wrong with a username or password', async () => {
    const cases: [unknown, RegExp][] = [
      [{ username: 'ab', password: 'long enough password' }, /3–32 characters/],
      [{ username: '<b>x</b>', password: 'long enough password' }, /letters, digits/],
      [{ username: uniqueName('bob'), password: 'short' }, /at least 10 characters/],
      [{ username: uniqueName('bob'), password: 'aaaaaaaaaaaa' }, /4 different characters/],
      [{ username: 'bobby123', password: 'my-bobby123-pass' }, /must not contain the username/],
      [{ username: 42 }, /username/],
    ];
    for (const [body, message] of cases) {
      const res = await call('POST', '/api/auth/signup', null, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
    }
    const bad = await fetch(appUrl('/api/auth/signup'), { method: 'POST', headers: sameOrigin(), body: '{not json' });
    expect(bad.status).toBe(400);
  });

  it('refuses a taken username (any case) with 409', async () => {
    const user = await createUser('carol');
    const res = await call('POST', '/api/auth/signup', null, { username: user.username.toUpperCase(), password: 'another good password' });
    expect(res.status).toBe(409);
  });

  it('signs in, and a wrong password gets a 401 that does not say which part was wrong', async () => {
    const user = await createUser('dave');
    const ok = await call('POST', '/api/auth/login', null, { username: user.username, password: user.password });
    expect(ok.status).toBe(200);
    const wrong = await call('POST', '/api/auth/login', null, { username: user.username, password: 'nope nope nope' });
    const unknown = await call('POST', '/api/auth/login', null, { username: uniqueName('ghost'), password: 'nope nope nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toBe(((await unknown.json()) as { error: { message: string } }).error.message);
  });

  it('signs out: the session stops working at once', async () => {
    const user = await createUser('erin');
    expect((await call('GET', '/api/auth/me', user)).status).toBe(200);
    const out = await call('POST', '/api/auth/logout', user);
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await call('GET', '/api/auth/me', user)).status).toBe(401);
  });

  it('revokes another session of the same user', async () => {
    const user = await createUser('fay');
    const second = await call('POST', '/api/auth/login', null, { username: user.username, password: user.password });
    const secondCookie = (second.headers.get('set-cookie') ?? '').split(';')[0];
    const list = (await (await call('GET', '/api/auth/sessions', user)).json()) as { items: { id: string; current: boolean }[] };
    expect(list.items).toHaveLength(2);
    const other = list.items.find((s) => !s.current)!;
    expect((await call('DELETE', `/api/auth/sessions/${other.id}`, user)).status).toBe(204);
    expect((await call('GET', '/api/auth/me', { cookie: secondCookie })).status).toBe(401);
    expect((await call('GET', '/api/auth/me', user)).status).toBe(200);
  });
});

describe('personal access tokens', () => {
  it('authenticates with Bearer, is listed without its secret, and stops working when revoked', async () => {
    const user = await createUser('gus');
    const created = (await (await call('POST', '/api/tokens', user, { name: 'my script' })).json()) as { id: string; token: string; prefix: string };
    expect(created.token).toMatch(/^kbt_/);
    const bearer = { authorization: `Bearer ${created.token}` };
    expect((await fetch(appUrl('/api/auth/me'), { headers: bearer })).status).toBe(200);
    const listed = await (await call('GET', '/api/tokens', user)).text();
    expect(listed).toContain('my script');
    expect(listed).not.toContain(created.token);
    expect((await call('DELETE', `/api/tokens/${created.id}`, user)).status).toBe(204);
    expect((await fetch(appUrl('/api/auth/me'), { headers: bearer })).status).toBe(401);
    expect((await call('DELETE', `/api/tokens/${created.id}`, user)).status).toBe(404);
  });

  it('cannot revoke someone else’s token', async () => {
    const [a, b] = [await createUser('hal'), await createUser('ivy')];
    const tokens = (await (await call('GET', '/api/tokens', a)).json()) as { items: { id: string }[] };
    expect((await call('DELETE', `/api/tokens/${tokens.items[0].id}`, b)).status).toBe(404);
    expect((await fetch(appUrl('/api/auth/me'), { headers: { authorization: `Bearer ${a.token}` } })).status).toBe(200);
  });
});

describe('cross-origin requests', () => {
  it('refuses cookie-authenticated mutations from another origin or with no origin', async () => {
    const user = await createUser('jay');
    const evil = await fetch(appUrl('/api/groups'), { method: 'POST', headers: { cookie: user.cookie, origin: 'http://evil.example', 'content-type': 'application/json' }, body: JSON.stringify({ name: uniqueName('g') }) });
    expect(evil.status).toBe(403);
    const none = await fetch(appUrl('/api/groups'), { method: 'POST', headers: { cookie: user.cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: uniqueName('g') }) });
    expect(none.status).toBe(403);
    const own = await call('POST', '/api/groups', user, { name: uniqueName('g') });
    expect(own.status).toBe(201);
    // A script with a token has no ambient credential: no origin needed.
    const script = await fetch(appUrl('/api/groups'), { method: 'POST', headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: uniqueName('g') }) });
    expect(script.status).toBe(201);
  });
});

describe('names with HTML render as text', () => {
  it('shows a group called <img onerror> as text on its page and in lists', async () => {
    const user = await createUser('kim');
    const name = `<img src=x onerror=alert(1)> ${uniqueName('')}`;
    const group = (await (await call('POST', '/api/groups', user, { name })).json()) as { id: string };
    for (const path of [`/groups/${group.id}`, '/groups']) {
      const html = await (await call('GET', path, user)).text();
      expect(html).not.toContain('<img src=x');
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    }
  });

  it('shows a page title with a script tag as text', async () => {
    const user = await createUser('lee');
    const title = `<script>alert("x")</script> ${uniqueName('')}`;
    const created = (await (await call('POST', '/api/entities', user, { type: 'event', title })).json()) as { slug: string };
    const html = await (await call('GET', `/wiki/${created.slug}`, user)).text();
    expect(html).not.toContain('<script>alert("x")</script>');
    expect(html).toContain('&lt;script&gt;');
  });
});
