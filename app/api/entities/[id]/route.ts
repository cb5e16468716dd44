import { getDb } from '@/db/client';
import { findEntity } from '@/db/queries/entities';
import { entityRelations } from '@/db/queries/relations';
import { ApiError, apiRoute } from '@/server/http/api';
import { presentEntity } from '@/server/presenters/entity';

export const dynamic = 'force-dynamic';

/** One entity by id or slug. */
export const GET = apiRoute(async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const db = getDb();
  const entity = await findEntity(db, (await params).id);
  if (!entity) throw new ApiError('not_found', 'No entity with that id or slug');
  return Response.json(presentEntity(entity, await entityRelations(db, entity.id)));
});
