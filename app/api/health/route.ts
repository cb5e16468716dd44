import { getDatabase } from '@/db/client';
import { apiRoute } from '@/server/http/api';

export const dynamic = 'force-dynamic';

/** Liveness and what the server runs on: `{ok, database, migration}`. */
export const GET = apiRoute(async () => {
  const database = getDatabase();
  await database.query('select 1');
  return Response.json({ ok: true, database: database.kind, migration: database.migration });
});
