import { z } from 'zod';
import { getDb } from '@/db/client';
import { listGroupsOf } from '@/db/queries/groups';
import { apiRoute, parseBody } from '@/server/http/api';
import { readJson, requireSameOrigin, requireUser, viewerFromRequest } from '@/server/auth/request';
import { createGroup } from '@/server/groups/commands';

export const dynamic = 'force-dynamic';

const body = z.object({ name: z.string().max(200) });

/** Creates a group; its creator becomes its owner. */
export const POST = apiRoute(async (request: Request) => {
  requireSameOrigin(request);
  const user = requireUser(await viewerFromRequest(request));
  const { name } = parseBody(await readJson(request), body);
  const group = await createGroup(getDb(), name, user.id);
  return Response.json({ id: group.id, name: group.name, role: 'owner' }, { status: 201 });
});

/** The signed-in user's groups. */
export const GET = apiRoute(async (request: Request) => {
  const user = requireUser(await viewerFromRequest(request));
  return Response.json({ items: await listGroupsOf(getDb(), user.id) });
});
