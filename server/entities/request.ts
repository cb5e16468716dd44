import { getDb, type Db } from '@/db/client';
import { findEntity, findEntityRef } from '@/db/queries/entities';
import { ApiError } from '@/server/http/api';
import { requireUser, viewerFromRequest } from '@/server/auth/request';
import { canReadEntity, type EntityAccess } from '@/server/policies/entity';

async function readable<T extends EntityAccess>(request: Request, idOrSlug: string, find: (db: Db, idOrSlug: string) => Promise<T | null>, signedIn: boolean) {
  const db = getDb();
  const viewer = await viewerFromRequest(request);
  if (signedIn) requireUser(viewer);
  const entity = await find(db, idOrSlug);
  if (!entity || !canReadEntity(viewer, entity)) throw new ApiError('not_found', 'No entity with that id or slug');
  return { db, viewer, entity };
}

/**
 * The entity an API request names (id or slug) with the request's viewer; a 404 when it does
 * not exist or the viewer may not read it. With `signedIn`, anonymous callers get the 401 first.
 */
export function readableEntity(request: Request, idOrSlug: string, { signedIn = false } = {}) {
  return readable(request, idOrSlug, findEntity, signedIn);
}

/** The same check, loading only what access checks and links need of the entity, not its content. */
export function readableEntityRef(request: Request, idOrSlug: string, { signedIn = false } = {}) {
  return readable(request, idOrSlug, findEntityRef, signedIn);
}
