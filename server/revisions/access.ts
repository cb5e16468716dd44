import type { Db } from '@/db/client';
import { findRevision } from '@/db/queries/revisions';
import { isUuid } from '@/components/model/ids';
import { ApiError } from '@/server/http/api';
import { canReadEntity } from '@/server/policies/entity';
import type { Viewer } from '@/server/auth/viewer';

/**
 * A revision the viewer may read (its entity is readable); unknown or foreign ids are a 404.
 * The viewer may still be on its way: the revision is read at the same time.
 */
export async function readableRevision(db: Db, viewer: Viewer | Promise<Viewer>, revisionId: string) {
  const [reader, found] = await Promise.all([viewer, isUuid(revisionId) ? findRevision(db, revisionId) : null]);
  if (!found || !canReadEntity(reader, found.entity)) throw new ApiError('not_found', 'No such revision');
  return found;
}

/** The site's public address for permalinks: PUBLIC_URL, or the origin the request came to. */
export function siteOrigin(requestUrl: string): string {
  return (process.env.PUBLIC_URL || new URL(requestUrl).origin).replace(/\/$/, '');
}
