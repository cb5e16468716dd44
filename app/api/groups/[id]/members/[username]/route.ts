import { getDb } from '@/db/client';
import { findGroup, findUserByName } from '@/db/queries/groups';
import { ApiError, apiRoute } from '@/server/http/api';
import { requireSameOrigin, requireUser, viewerFromRequest } from '@/server/auth/request';
import { canManageGroup, canViewGroup } from '@/server/policies/group';
import { removeMember } from '@/server/groups/commands';
import { isUuid } from '@/components/model/ids';

export const dynamic = 'force-dynamic';

/** Removes a member (owners and admins), or leaves the group (the member themself). */
export const DELETE = apiRoute(async (request: Request, { params }: { params: Promise<{ id: string; username: string }> }) => {
  requireSameOrigin(request);
  const viewer = await viewerFromRequest(request);
  const user = requireUser(viewer);
  const { id, username } = await params;
  const db = getDb();
  if (!isUuid(id) || !canViewGroup(viewer, id) || !(await findGroup(db, id))) throw new ApiError('not_found', 'No such group');
  const member = await findUserByName(db, decodeURIComponent(username));
  if (!member) throw new ApiError('not_found', 'That user is not a member of this group.');
  if (member.id !== user.id && !canManageGroup(viewer, id)) throw new ApiError('forbidden', 'Only the group’s owners can remove other members.');
  await removeMember(db, id, member.id);
  return new Response(null, { status: 204 });
});
