import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { entityClients, users } from '@/db/schema';

/** The users who own these Yjs client ids on an entity (recorded by the collaboration server as each connection's updates are stored). */
export async function clientOwners(db: Db, entityId: string, clientIds: number[]): Promise<Map<number, { id: string; username: string }>> {
  if (clientIds.length === 0) return new Map();
  const rows = await db
    .select({ clientId: entityClients.clientId, id: users.id, username: users.username })
    .from(entityClients)
    .innerJoin(users, eq(users.id, entityClients.userId))
    .where(and(eq(entityClients.entityId, entityId), inArray(entityClients.clientId, clientIds)));
  return new Map(rows.map((r) => [r.clientId, { id: r.id, username: r.username }]));
}
