import { z } from 'zod';
import { readableEntityRef } from '@/server/entities/request';
import { findRevision } from '@/db/queries/revisions';
import { ApiError, apiRoute, parseBody } from '@/server/http/api';
import { readJson, requireSameOrigin, requireUser } from '@/server/auth/request';
import { canEditEntity, canReadEntity } from '@/server/policies/entity';
import { presentRevision } from '@/server/presenters/revision';
import { restoreRevision } from '@/server/revisions/commands';

export const dynamic = 'force-dynamic';

const body = z.object({ revisionId: z.uuid() });

/** Restores one of the entity's revisions as a new edit and a `restore` revision. */
export const POST = apiRoute(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  requireSameOrigin(request);
  const { db, viewer, entity } = await readableEntityRef(request, (await params).id, { signedIn: true });
  const user = requireUser(viewer);
  const { revisionId } = parseBody(await readJson(request), body);
  const source = await findRevision(db, revisionId);
  if (!source || !canReadEntity(viewer, source.entity)) throw new ApiError('not_found', 'No such revision');
  if (source.entity.id !== entity.id) throw new ApiError('bad_request', 'That revision belongs to another entity.');
  if (!canEditEntity(viewer, entity)) throw new ApiError('forbidden', 'You may not edit this page.');
  const { created, revision } = await restoreRevision(db, entity.id, source.revision, user.id);
  return Response.json({ created, revision: presentRevision(revision) }, { status: created ? 201 : 200 });
});
