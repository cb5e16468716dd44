import { z } from 'zod';
import { getDb } from '@/db/client';
import { ApiError, apiRoute, parseBody } from '@/server/http/api';
import { createSession, signUp } from '@/server/auth/accounts';
import { sessionCookie } from '@/server/auth/cookies';
import { authLimiters } from '@/server/auth/limits';
import { clientAddress, readJson, requireSameOrigin } from '@/server/auth/request';

export const dynamic = 'force-dynamic';

const body = z.object({ username: z.string().trim().max(64), password: z.string().max(1000) });

/** Creates an account and signs it in (session cookie). */
export const POST = apiRoute(async (request: Request) => {
  requireSameOrigin(request);
  const db = getDb();
  const limit = await authLimiters().signup.hit(db, `signup:${clientAddress(request)}`);
  if (limit.limited) throw new ApiError('rate_limited', `Too many sign-ups from this address; try again in ${limit.retryAfter} s.`);
  const { username, password } = parseBody(await readJson(request), body);
  const user = await signUp(db, username, password);
  const session = await createSession(db, user.id, request.headers.get('user-agent'));
  return Response.json({ user }, { status: 201, headers: { 'set-cookie': sessionCookie(session.token, session.expiresAt, request) } });
});
