import { getDb } from '@/db/client';
import { findGroup, groupEntities, groupMemberList } from '@/db/queries/groups';
import { ApiError, apiRoute } from '@/server/http/api';
import { viewerFromRequest } from '@/server/auth/request';
import { canViewGroup } from '@/server/policies/group';
import { isUuid } from '@/components/model/ids';

export const dynamic = 'force-dynamic';

/** A group with its members and entities; 404 to anyone not in it. */
export const GET = apiRoute(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const viewer = await viewerFromRequest(request);
  if (!isUuid(id) || !canViewGroup(viewer, id)) throw new ApiError('not_found', 'No such group');
  const db = getDb();
  const group = await findGroup(db, id);
  if (!group) throw new ApiError('not_found', 'No such group');
  const [members, owned] = await Promise.all([groupMemberList(db, id), groupEntities(db, id)]);
  return Response.json({ id: group.id, name: group.name, members, entities: owned });
});
