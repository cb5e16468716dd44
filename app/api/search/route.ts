import { z } from 'zod';
import { getDb } from '@/db/client';
import { searchEntities } from '@/db/queries/search';
import { apiRoute, parseQuery } from '@/server/http/api';
import { MAX_LIMIT, MAX_QUERY_LENGTH } from '@/server/http/limits';
import { viewerFromRequest } from '@/server/auth/request';

export const dynamic = 'force-dynamic';

const query = z.object({
  q: z.string().trim().min(1, 'is required').max(MAX_QUERY_LENGTH, `must be at most ${MAX_QUERY_LENGTH} characters`),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(20),
});

/** Search by title and alias first (typo tolerant), then full text with snippets. */
export const GET = apiRoute(async (request: Request) => {
  const { q, limit } = parseQuery(request.url, query);
  const hits = await searchEntities(getDb(), await viewerFromRequest(request), q, limit);
  return Response.json({ query: q, items: hits.map((h) => ({ ...h, url: `/wiki/${h.slug}` })) });
});
