import { getDb } from '@/db/client';
import { apiRoute } from '@/server/http/api';
import { listSessions } from '@/server/auth/accounts';
import { requireUser, viewerFromRequest } from '@/server/auth/request';

export const dynamic = 'force-dynamic';

/** The signed-in user's open sessions (`current` marks this one). */
export const GET = apiRoute(async (request: Request) => {
  const viewer = await viewerFromRequest(request);
  const user = requireUser(viewer);
  const items = await listSessions(getDb(), user.id);
  return Response.json({ items: items.map((s) => ({ ...s, current: viewer.credential?.kind === 'session' && viewer.credential.id === s.id })) });
});
