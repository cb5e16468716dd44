import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Db } from '@/db/client';
import { entities, entityDocs, entityUpdates } from '@/db/schema';

/** The stored Yjs state of an entity's doc: its snapshot merged with every later logged update; null when there is none. */
export async function loadEntityState(db: Db, entityId: string): Promise<Uint8Array | null> {
  const [snapshot] = await db.select().from(entityDocs).where(eq(entityDocs.entityId, entityId));
  if (!snapshot) return null;
  const later = await db
    .select({ update: entityUpdates.update })
    .from(entityUpdates)
    .where(and(eq(entityUpdates.entityId, entityId), gt(entityUpdates.id, snapshot.compactedThrough)))
    .orderBy(asc(entityUpdates.id));
  return later.length ? Y.mergeUpdates([snapshot.state, ...later.map((r) => r.update)]) : snapshot.state;
}

const accessColumns = { id: entities.id, type: entities.type, groupId: entities.groupId, visibility: entities.visibility, protected: entities.protected };
export type EntityAccessRow = { id: string; type: string; groupId: string | null; visibility: string; protected: boolean };

/** What the access policies need to know about an entity, and its type; null when it does not exist. */
export async function loadEntityAccess(db: Db, entityId: string): Promise<EntityAccessRow | null> {
  const [row] = await db.select(accessColumns).from(entities).where(eq(entities.id, entityId));
  return row ?? null;
}

/** The same for many entities at once, by id. */
export async function loadEntityAccessMany(db: Db, entityIds: string[]): Promise<Map<string, EntityAccessRow>> {
  if (entityIds.length === 0) return new Map();
  const rows = await db.select(accessColumns).from(entities).where(inArray(entities.id, entityIds));
  return new Map(rows.map((r) => [r.id, r]));
}
