import { z } from 'zod';
import { readableEntityRef } from '@/server/entities/request';
import { listRevisions, MAX_REVISION_NUMBER } from '@/db/queries/revisions';
import { ApiError, apiRoute, parseBody, parseQuery } from '@/server/http/api';
import { readJson, requireSameOrigin, requireUser } from '@/server/auth/request';
import { canEditEntity } from '@/server/policies/entity';
import { presentRevision } from '@/server/presenters/revision';
import { saveRevision } from '@/server/revisions/commands';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string }> };

const query = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), before: z.coerce.number().int().min(1).max(MAX_REVISION_NUMBER).optional() });

/** The entity's history, newest first; `nextBefore` fetches the next page. */
export const GET = apiRoute(async (request: Request, { params }: Params) => {
  const { db, entity } = await readableEntityRef(request, (await params).id);
  const { limit, before } = parseQuery(request.url, query);
  const page = await listRevisions(db, entity.id, { limit, before });
  return Response.json({ items: page.items.map(presentRevision), nextBefore: page.nextBefore });
});

const body = z.object({ summary: z.string().trim().max(500, 'must be at most 500 characters').default('') });

/** "Save revision" with an edit summary; nothing is recorded when the content did not change. */
export const POST = apiRoute(async (request: Request, { params }: Params) => {
  requireSameOrigin(request);
  const { db, viewer, entity } = await readableEntityRef(request, (await params).id, { signedIn: true });
  const user = requireUser(viewer);
  if (!canEditEntity(viewer, entity)) throw new ApiError('forbidden', 'You may not edit this page.');
  const { summary } = parseBody(await readJson(request), body);
  const { created, revision } = await saveRevision(db, entity.id, user.id, summary);
  return Response.json({ created, revision: presentRevision(revision) }, { status: created ? 201 : 200 });
});
