import { readableEntityRef } from '@/server/entities/request';
import { entityBacklinks } from '@/db/queries/relations';
import { apiRoute } from '@/server/http/api';
import { presentEntityCard } from '@/server/presenters/entity';

export const dynamic = 'force-dynamic';

/** "What links here": entities whose statements or body link to this one. */
export const GET = apiRoute(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { db, viewer, entity } = await readableEntityRef(request, (await params).id);
  const links = await entityBacklinks(db, viewer, entity.id);
  return Response.json({ items: links.map((e) => presentEntityCard({ ...e, sortDate: null, fields: {} })) });
});
