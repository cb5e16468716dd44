import { getDb } from '@/db/client';
import { listGroupsOf } from '@/db/queries/groups';
import { apiRoute } from '@/server/http/api';
import { requireUser, viewerFromRequest } from '@/server/auth/request';

export const dynamic = 'force-dynamic';

/** The signed-in account and its groups. */
export const GET = apiRoute(async (request: Request) => {
  const user = requireUser(await viewerFromRequest(request));
  return Response.json({ user, groups: await listGroupsOf(getDb(), user.id) });
});
