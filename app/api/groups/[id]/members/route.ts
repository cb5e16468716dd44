import { z } from 'zod';
import { getDb } from '@/db/client';
import { findGroup } from '@/db/queries/groups';
import { ApiError, apiRoute, parseBody } from '@/server/http/api';
import { readJson, requireSameOrigin, requireUser, viewerFromRequest } from '@/server/auth/request';
import { canManageGroup, canViewGroup } from '@/server/policies/group';
import { setMember } from '@/server/groups/commands';
import { isUuid } from '@/components/model/ids';

export const dynamic = 'force-dynamic';

const body = z.object({ username: z.string().trim().min(1).max(64), role: z.enum(['owner', 'editor', 'viewer']).default('editor') });

/** Adds a member by username, or changes their role (group owners and admins). */
export const POST = apiRoute(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  requireSameOrigin(request);
  const viewer = await viewerFromRequest(request);
  requireUser(viewer);
  const { id } = await params;
  const db = getDb();
  if (!isUuid(id) || !canViewGroup(viewer, id) || !(await findGroup(db, id))) throw new ApiError('not_found', 'No such group');
  if (!canManageGroup(viewer, id)) throw new ApiError('forbidden', 'Only the group’s owners can add members or change roles.');
  const { username, role } = parseBody(await readJson(request), body);
  return Response.json(await setMember(db, id, username, role), { status: 200 });
});
