import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '../setup/app-server';
import { openTestDatabase } from '../helpers/database';
import { createRateLimiter } from '@/server/auth/rate-limit';
import { sleep } from '../helpers/collab';

let app: AppServer;

beforeAll(async () => {
  // An app of its own, with the default limits (the shared test app raises them).
  app = await startApp({ SEED: '0', DATABASE_URL: '', SIGNUP_LIMIT: '', LOGIN_FAILURE_LIMIT: '' });
}, 120_000);
afterAll(async () => {
  await app?.stop();
});

const post = (path: string, body: unknown) =>
  fetch(`${app.url}${path}`, { method: 'POST', headers: { origin: app.url, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('rate limits', () => {
  it('answers repeated failed sign-ins from one address with 429, and the limit holds for correct passwords too', async () => {
    const ok = await post('/api/auth/signup', { username: 'ratelimited', password: 'a fine long password' });
    expect(ok.status).toBe(201);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await post('/api/auth/login', { username: 'ratelimited', password: `wrong guess ${i}` })).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    const limited = await post('/api/auth/login', { username: 'ratelimited', password: 'a fine long password' });
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { error: { message: string } }).error.message).toMatch(/try again in \d+ s/);
  });

  it('answers too many sign-ups from one address with 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await post('/api/auth/signup', { username: `spam${i}x`, password: 'x' })).status);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
  });
});

describe('the rate limiter (its counters in the database of this run)', () => {
  it('refuses events past the limit within a window, per key, and allows them again when the window ends', async () => {
    const database = await openTestDatabase();
    try {
      const { db } = database;
      const limiter = createRateLimiter({ limit: 3, windowMs: 1500 });
      const first = [];
      for (let i = 0; i < 4; i++) first.push((await limiter.hit(db, 'test:a')).limited);
      expect(first).toEqual([false, false, false, true]);
      expect(await limiter.check(db, 'test:a')).toEqual({ limited: true, retryAfter: expect.any(Number) });
      expect((await limiter.check(db, 'test:a')).retryAfter).toBeGreaterThanOrEqual(1);
      expect((await limiter.check(db, 'test:a')).retryAfter).toBeLessThanOrEqual(2);
      expect(await limiter.hit(db, 'test:b')).toEqual({ limited: false, retryAfter: 0 });
      expect(await limiter.check(db, 'test:b')).toEqual({ limited: false, retryAfter: 0 });
      await sleep(1600);
      expect(await limiter.check(db, 'test:a')).toEqual({ limited: false, retryAfter: 0 });
      expect((await limiter.hit(db, 'test:a')).limited).toBe(false); // a new window, counted from 1
      expect((await limiter.hit(db, 'test:a')).limited).toBe(false);
    } finally {
      await database.close();
    }
  });
});
