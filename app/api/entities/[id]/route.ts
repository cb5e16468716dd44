import { z } from 'zod';
import { readableEntity } from '@/server/entities/request';
import { entityRelations } from '@/db/queries/relations';
import { findGroup } from '@/db/queries/groups';
import { ApiError, apiRoute, parseBody } from '@/server/http/api';
import { presentEntity } from '@/server/presenters/entity';
import { readJson, requireSameOrigin } from '@/server/auth/request';
import { canCreateEntityIn, canManageEntity, canProtectEntity } from '@/server/policies/entity';
import { updateEntitySettings } from '@/server/entities/commands';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string }> };

/** One entity by id or slug (404 when the caller may not read it). */
export const GET = apiRoute(async (request: Request, { params }: Params) => {
  const { db, viewer, entity } = await readableEntity(request, (await params).id);
  return Response.json(presentEntity(entity, await entityRelations(db, viewer, entity.id)));
});

const settings = z
  .object({ groupId: z.uuid().nullable().optional(), visibility: z.enum(['public', 'group']).optional(), protected: z.boolean().optional() })
  .strict();

/**
 * Changes an entity's owning group, visibility or protection. Moving it into a group needs
 * an editor or owner role in that group as well as the right to manage the entity now.
 */
export const PATCH = apiRoute(async (request: Request, { params }: Params) => {
  requireSameOrigin(request);
  const { db, viewer, entity } = await readableEntity(request, (await params).id, { signedIn: true });
  if (!canManageEntity(viewer, entity)) throw new ApiError('forbidden', 'Only the owning group’s owners (or site admins) can change who owns or reads this page.');
  const input = parseBody(await readJson(request), settings);
  if (input.protected !== undefined && input.protected !== entity.protected && !canProtectEntity(viewer)) {
    throw new ApiError('forbidden', 'Only site admins can protect or unprotect a page.');
  }
  if (input.groupId && input.groupId !== entity.groupId) {
    if (!(await findGroup(db, input.groupId))) throw new ApiError('not_found', 'No such group');
    if (!canCreateEntityIn(viewer, input.groupId)) throw new ApiError('forbidden', 'You can move pages only into groups where you are an editor or owner.');
  }
  const updated = await updateEntitySettings(db, entity, input);
  return Response.json(presentEntity(updated, await entityRelations(db, viewer, updated.id)));
});
