import { getDb } from '@/db/client';
import { findEntity } from '@/db/queries/entities';
import { ApiError } from '@/server/http/api';
import { requireUser, viewerFromRequest } from '@/server/auth/request';
import { canReadEntity } from '@/server/policies/entity';

/**
 * The entity an API request names (id or slug) with the request's viewer; a 404 when it does
 * not exist or the viewer may not read it. With `signedIn`, anonymous callers get the 401 first.
 */
export async function readableEntity(request: Request, idOrSlug: string, { signedIn = false } = {}) {
  const db = getDb();
  const viewer = await viewerFromRequest(request);
  if (signedIn) requireUser(viewer);
  const entity = await findEntity(db, idOrSlug);
  if (!entity || !canReadEntity(viewer, entity)) throw new ApiError('not_found', 'No entity with that id or slug');
  return { db, viewer, entity };
}
