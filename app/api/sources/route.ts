import { getDb } from '@/db/client';
import { listSources } from '@/db/queries/sources';
import { apiRoute } from '@/server/http/api';

export const dynamic = 'force-dynamic';

/** The source documents, without their text. */
export const GET = apiRoute(async () => {
  const sources = await listSources(getDb());
  return Response.json({ items: sources.map((s) => ({ ...s, url: `/sources/${s.id}` })) });
});
