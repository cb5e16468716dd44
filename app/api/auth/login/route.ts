import { z } from 'zod';
import { getDb } from '@/db/client';
import { ApiError, apiRoute, parseBody } from '@/server/http/api';
import { checkPassword, createSession } from '@/server/auth/accounts';
import { sessionCookie } from '@/server/auth/cookies';
import { authLimiters } from '@/server/auth/limits';
import { clientAddress, readJson, requireSameOrigin } from '@/server/auth/request';

export const dynamic = 'force-dynamic';

const body = z.object({ username: z.string().trim().max(64), password: z.string().max(1000) });

/** Signs in with username and password; sets the session cookie. */
export const POST = apiRoute(async (request: Request) => {
  requireSameOrigin(request);
  const db = getDb();
  const limiter = authLimiters().failedLogin;
  const key = `login:${clientAddress(request)}`;
  const limit = await limiter.check(db, key);
  if (limit.limited) throw new ApiError('rate_limited', `Too many failed sign-ins from this address; try again in ${limit.retryAfter} s.`);
  const { username, password } = parseBody(await readJson(request), body);
  const user = await checkPassword(db, username, password);
  if (!user) {
    await limiter.hit(db, key);
    throw new ApiError('unauthorized', 'Wrong username or password.');
  }
  const session = await createSession(db, user.id, request.headers.get('user-agent'));
  return Response.json({ user }, { headers: { 'set-cookie': sessionCookie(session.token, session.expiresAt, request) } });
});
