import { getDb } from '@/db/client';
import { ApiError, apiRoute } from '@/server/http/api';
import { revokeAccessToken } from '@/server/auth/accounts';
import { requireSameOrigin, requireUser, viewerFromRequest } from '@/server/auth/request';
import { isUuid } from '@/components/model/ids';

export const dynamic = 'force-dynamic';

/** Revokes a token at once: requests and open sockets using it stop working. */
export const DELETE = apiRoute(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  requireSameOrigin(request);
  const user = requireUser(await viewerFromRequest(request));
  const { id } = await params;
  if (!isUuid(id) || !(await revokeAccessToken(getDb(), user.id, id))) throw new ApiError('not_found', 'No such token');
  return new Response(null, { status: 204 });
});
