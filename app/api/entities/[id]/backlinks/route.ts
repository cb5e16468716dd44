import { getDb } from '@/db/client';
import { findEntity } from '@/db/queries/entities';
import { entityBacklinks } from '@/db/queries/relations';
import { ApiError, apiRoute } from '@/server/http/api';
import { presentEntityCard } from '@/server/presenters/entity';

export const dynamic = 'force-dynamic';

/** "What links here": entities whose statements or body link to this one. */
export const GET = apiRoute(async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const db = getDb();
  const entity = await findEntity(db, (await params).id);
  if (!entity) throw new ApiError('not_found', 'No entity with that id or slug');
  const links = await entityBacklinks(db, entity.id);
  return Response.json({ items: links.map((e) => presentEntityCard({ ...e, sortDate: null, fields: {} })) });
});
