import { z } from 'zod';
import { getDb } from '@/db/client';
import { ApiError, apiRoute, parseQuery } from '@/server/http/api';
import { viewerFromRequest } from '@/server/auth/request';
import { presentRevision } from '@/server/presenters/revision';
import { readableRevision } from '@/server/revisions/access';
import { revisionContent } from '@/server/revisions/store';
import { diffContents } from '@/server/revisions/diff';

export const dynamic = 'force-dynamic';

const query = z.object({ against: z.uuid('must be a revision id') });

/** What changed from revision `against` to this one: fields, relations, and body blocks with word changes. */
export const GET = apiRoute(async (request: Request, { params }: { params: Promise<{ revId: string }> }) => {
  const db = getDb();
  const { against } = parseQuery(request.url, query);
  const { revId } = await params;
  const viewer = viewerFromRequest(request);
  const [to, from] = await Promise.all([readableRevision(db, viewer, revId), readableRevision(db, viewer, against)]);
  if (from.entity.id !== to.entity.id) throw new ApiError('bad_request', 'Both revisions must belong to the same entity.');
  const [before, after] = await Promise.all([revisionContent(db, from.revision), revisionContent(db, to.revision)]);
  const diff = diffContents(before, after);
  return Response.json({ from: presentRevision(from.revision), to: presentRevision(to.revision), ...diff });
});
