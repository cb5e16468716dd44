import { inject } from 'vitest';
import { appUrl } from './http';

export type TestUser = { username: string; password: string; id: string; cookie: string; token: string };

let counter = 0;

/** A unique username for this run. */
export function uniqueName(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;
}

/** Headers for a cookie-authenticated request from the app's own pages. */
export function sameOrigin(user?: { cookie: string } | null, extra: Record<string, string> = {}): Record<string, string> {
  return { origin: inject('baseUrl'), 'content-type': 'application/json', ...(user ? { cookie: user.cookie } : {}), ...extra };
}

/** Calls the API as a user (session cookie, same origin) or anonymously. */
export async function call(method: string, path: string, user?: { cookie: string } | null, body?: unknown): Promise<Response> {
  return fetch(appUrl(path), { method, headers: sameOrigin(user), body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' });
}

/** Signs up a new account (or `admin`, who is a site admin in the test app) and makes it a personal access token. */
export async function createUser(prefix = 'user', username = uniqueName(prefix)): Promise<TestUser> {
  const password = `Secret-pass-${username.length}-${counter}!`;
  let res = await call('POST', '/api/auth/signup', null, { username, password });
  if (res.status === 409) res = await call('POST', '/api/auth/login', null, { username, password });
  if (res.status !== 201 && res.status !== 200) throw new Error(`sign-up of ${username} failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  const { user } = (await res.json()) as { user: { id: string } };
  const tokenRes = await call('POST', '/api/tokens', { cookie }, { name: 'tests' });
  const { token } = (await tokenRes.json()) as { token: string };
  return { username, password, id: user.id, cookie, token };
}

/** POSTs JSON to a server a test started for itself (at `baseUrl`), as its own pages do: same origin, signed in with `cookie` when given. */
export function postTo(baseUrl: string, path: string, body: unknown, cookie?: string): Promise<Response> {
  return fetch(`${baseUrl}${path}`, { method: 'POST', headers: { origin: baseUrl, 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) });
}

/** Signs up `name` on a server a test started for itself and makes them a personal access token. */
export async function signUpAt(baseUrl: string, name: string): Promise<{ cookie: string; token: string }> {
  const signup = await postTo(baseUrl, '/api/auth/signup', { username: name, password: 'correct horse battery staple' });
  if (signup.status !== 201) throw new Error(`sign-up of ${name} failed: ${signup.status} ${await signup.text()}`);
  const cookie = (signup.headers.get('set-cookie') ?? '').split(';')[0];
  const { token } = (await (await postTo(baseUrl, '/api/tokens', { name }, cookie)).json()) as { token: string };
  return { cookie, token };
}
