import { getDb } from '@/db/client';
import { apiRoute } from '@/server/http/api';
import { revokeSession } from '@/server/auth/accounts';
import { clearedSessionCookie } from '@/server/auth/cookies';
import { requireSameOrigin, viewerFromRequest } from '@/server/auth/request';

export const dynamic = 'force-dynamic';

/** Ends the current session (revoked in the database) and clears its cookie. */
export const POST = apiRoute(async (request: Request) => {
  requireSameOrigin(request);
  const viewer = await viewerFromRequest(request);
  if (viewer.user && viewer.credential?.kind === 'session') await revokeSession(getDb(), viewer.user.id, viewer.credential.id);
  return new Response(null, { status: 204, headers: { 'set-cookie': clearedSessionCookie() } });
});
