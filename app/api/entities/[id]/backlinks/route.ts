import { getDb } from '@/db/client';
import { findEntity } from '@/db/queries/entities';
import { viewerFromRequest } from '@/server/auth/request';
import { canReadEntity } from '@/server/policies/entity';
import { entityBacklinks } from '@/db/queries/relations';
import { ApiError, apiRoute } from '@/server/http/api';
import { presentEntityCard } from '@/server/presenters/entity';

export const dynamic = 'force-dynamic';

/** "What links here": entities whose statements or body link to this one. */
export const GET = apiRoute(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const db = getDb();
  const viewer = await viewerFromRequest(request);
  const entity = await findEntity(db, (await params).id);
  if (!entity || !canReadEntity(viewer, entity)) throw new ApiError('not_found', 'No entity with that id or slug');
  const links = await entityBacklinks(db, viewer, entity.id);
  return Response.json({ items: links.map((e) => presentEntityCard({ ...e, sortDate: null, fields: {} })) });
});
