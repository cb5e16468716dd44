import { z } from 'zod';
import { getDb } from '@/db/client';
import { listEntities } from '@/db/queries/entities';
import { ENTITY_TYPES } from '@/components/model/entity-types';
import { apiRoute, parseQuery } from '@/server/http/api';
import { DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY_LENGTH } from '@/server/http/limits';
import { presentEntityCard } from '@/server/presenters/entity';

export const dynamic = 'force-dynamic';

const query = z.object({
  type: z.enum(ENTITY_TYPES).optional(),
  q: z.string().max(MAX_QUERY_LENGTH).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  cursor: z.string().max(1000).optional(),
});

/** Entities in title order: `?type=&q=&limit=&cursor=`; `nextCursor` fetches the following page. */
export const GET = apiRoute(async (request: Request) => {
  const { type, q, limit, cursor } = parseQuery(request.url, query);
  const page = await listEntities(getDb(), { type, q: q || undefined, limit, cursor });
  return Response.json({ items: page.items.map(presentEntityCard), nextCursor: page.nextCursor });
});
