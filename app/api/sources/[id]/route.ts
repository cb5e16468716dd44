import { getDb } from '@/db/client';
import { citedPassages, findSource } from '@/db/queries/sources';
import { ApiError, apiRoute } from '@/server/http/api';
import { viewerFromRequest } from '@/server/auth/request';

export const dynamic = 'force-dynamic';

/** One source with its verbatim text and every cited passage (with the entities citing it). */
export const GET = apiRoute(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const db = getDb();
  const source = await findSource(db, (await params).id);
  if (!source) throw new ApiError('not_found', 'No source with that id');
  const { createdAt, ...rest } = source;
  return Response.json({ ...rest, createdAt: createdAt.toISOString(), citations: await citedPassages(db, await viewerFromRequest(request), source.id) });
});
