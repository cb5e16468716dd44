import { eq, inArray, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Db } from '@/db/client';
import { entities } from '@/db/schema';

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

type DocumentRow = { part: number; type: string | null; group_id: string | null; visibility: string | null; protected: boolean | null; data: Uint8Array };

/**
 * What a socket needs to open an entity's doc, in one round trip: its access facts and its
 * stored Yjs state (the snapshot merged with every later logged update, and how many of those
 * there are); null when the entity or its doc does not exist.
 */
export async function loadEntityDocument(db: Db, entityId: string): Promise<{ access: EntityAccessRow; state: Uint8Array; laterUpdates: number } | null> {
  const result = await db.execute(sql`
    select 0 as part, e.type, e.group_id, e.visibility, e.protected, d.state as data, null::bigint as seq
    from entities e join entity_docs d on d.entity_id = e.id
    where e.id = ${entityId}
    union all
    select 1, null, null, null, null, u.update, u.id
    from entity_updates u join entity_docs d on d.entity_id = u.entity_id
    where u.entity_id = ${entityId} and u.id > d.compacted_through
    order by part, seq`);
  const rows = ((result as unknown as { rows?: DocumentRow[] }).rows ?? (result as unknown as DocumentRow[])) as DocumentRow[];
  const [head, ...later] = rows;
  if (!head || head.part !== 0) return null;
  const access: EntityAccessRow = { id: entityId, type: head.type!, groupId: head.group_id, visibility: head.visibility!, protected: head.protected! };
  const snapshot = new Uint8Array(head.data);
  const state = later.length ? Y.mergeUpdates([snapshot, ...later.map((r) => new Uint8Array(r.data))]) : snapshot;
  return { access, state, laterUpdates: later.length };
}

/** The stored Yjs state of an entity's doc (snapshot + later logged updates); null when there is none. */
export async function loadEntityState(db: Db, entityId: string): Promise<Uint8Array | null> {
  return (await loadEntityDocument(db, entityId))?.state ?? null;
}
