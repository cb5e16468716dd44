import { getDb } from '@/db/client';
import { ApiError, apiRoute } from '@/server/http/api';
import { revokeSession } from '@/server/auth/accounts';
import { requireSameOrigin, requireUser, viewerFromRequest } from '@/server/auth/request';
import { isUuid } from '@/components/model/ids';

export const dynamic = 'force-dynamic';

/** Revokes one of the signed-in user's sessions (sign out elsewhere); open sockets on it close. */
export const DELETE = apiRoute(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  requireSameOrigin(request);
  const user = requireUser(await viewerFromRequest(request));
  const { id } = await params;
  if (!isUuid(id) || !(await revokeSession(getDb(), user.id, id))) throw new ApiError('not_found', 'No such session');
  return new Response(null, { status: 204 });
});
