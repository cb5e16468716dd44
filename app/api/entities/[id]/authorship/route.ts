import { readableEntityRef } from '@/server/entities/request';
import { apiRoute, ApiError } from '@/server/http/api';
import { loadAuthorship } from '@/server/presenters/authorship';

export const dynamic = 'force-dynamic';

/**
 * Who wrote what is on the page now: the body as paragraphs of runs, each pointing to its
 * author (the account whose editor inserted it), the infobox fields and relations with theirs,
 * and every author's share of the text.
 */
export const GET = apiRoute(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { db, entity } = await readableEntityRef(request, (await params).id);
  const authorship = await loadAuthorship(db, entity.id);
  if (!authorship) throw new ApiError('not_found', 'This entity has no document');
  return Response.json(authorship);
});
