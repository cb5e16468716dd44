import { z } from 'zod';
import { getDb } from '@/db/client';
import { apiRoute, parseBody } from '@/server/http/api';
import { createAccessToken, listAccessTokens } from '@/server/auth/accounts';
import { readJson, requireSameOrigin, requireUser, viewerFromRequest } from '@/server/auth/request';

export const dynamic = 'force-dynamic';

const body = z.object({ name: z.string().trim().min(1, 'is required').max(100).default('script') });

/** Creates a personal access token; the secret is in this response only. */
export const POST = apiRoute(async (request: Request) => {
  requireSameOrigin(request);
  const user = requireUser(await viewerFromRequest(request));
  const text = await request.clone().text();
  const { name } = parseBody(text.trim() ? await readJson(request) : {}, body);
  return Response.json(await createAccessToken(getDb(), user.id, name), { status: 201 });
});

/** The signed-in user's tokens (without secrets). */
export const GET = apiRoute(async (request: Request) => {
  const user = requireUser(await viewerFromRequest(request));
  return Response.json({ items: await listAccessTokens(getDb(), user.id) });
});
