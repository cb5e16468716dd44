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
  const viewer = await viewerFromRequest(request);
  const { against } = parseQuery(request.url, query);
  const to = await readableRevision(db, viewer, (await params).revId);
  const from = await readableRevision(db, viewer, against);
  if (from.entity.id !== to.entity.id) throw new ApiError('bad_request', 'Both revisions must belong to the same entity.');
  const diff = diffContents(await revisionContent(db, from.revision), await revisionContent(db, to.revision));
  return Response.json({ from: presentRevision(from.revision), to: presentRevision(to.revision), ...diff });
});
