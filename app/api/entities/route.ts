import { z } from 'zod';
import { getDb } from '@/db/client';
import { listEntities } from '@/db/queries/entities';
import { ENTITY_TYPES } from '@/components/model/entity-types';
import { ApiError, apiRoute, parseBody, parseQuery } from '@/server/http/api';
import { DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY_LENGTH } from '@/server/http/limits';
import { presentEntity, presentEntityCard } from '@/server/presenters/entity';
import { readJson, requireSameOrigin, requireUser, viewerFromRequest } from '@/server/auth/request';
import { canCreateEntityIn } from '@/server/policies/entity';
import { createEntity } from '@/server/entities/commands';

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
  const page = await listEntities(getDb(), { reader: await viewerFromRequest(request), type, q: q || undefined, limit, cursor });
  return Response.json({ items: page.items.map(presentEntityCard), nextCursor: page.nextCursor });
});

const body = z.object({
  type: z.enum(ENTITY_TYPES),
  title: z.string().trim().min(1, 'is required').max(200),
  groupId: z.uuid().nullable().default(null),
  visibility: z.enum(['public', 'group']).default('public'),
});

/** Creates an entity in the commons or in a group the caller edits for. */
export const POST = apiRoute(async (request: Request) => {
  requireSameOrigin(request);
  const viewer = await viewerFromRequest(request);
  const user = requireUser(viewer);
  const input = parseBody(await readJson(request), body);
  if (!canCreateEntityIn(viewer, input.groupId)) throw new ApiError('forbidden', 'You can create entities only in groups where you are an editor or owner.');
  const entity = await createEntity(getDb(), { ...input, createdBy: user.id });
  return Response.json(presentEntity(entity, []), { status: 201 });
});
