import { eq, inArray } from 'drizzle-orm';
import * as Y from 'yjs';
import { driverQuery, type Db } from '@/db/client';
import { entities } from '@/db/schema';
import { isUuid } from '@/components/model/ids';
import { mergeUpdatesInBackground } from './background-merge';

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

/**
 * A long log (a doc that was not compacted: its server crashed, or another instance has it
 * open) is merged off the event loop; a shorter one at once.
 */
export const MERGE_IN_BACKGROUND_FROM = 50;

async function mergeLog(snapshot: Uint8Array, later: Uint8Array[]): Promise<Uint8Array> {
  if (later.length === 0) return snapshot;
  if (later.length < MERGE_IN_BACKGROUND_FROM) return Y.mergeUpdates([snapshot, ...later]);
  return (await mergeUpdatesInBackground([snapshot, ...later])).state;
}

const LOAD_DOCUMENTS = `
  select 0 as part, e.id as entity_id, e.type, e.group_id, e.visibility, e.protected, d.state as data, null::bigint as seq
  from entities e join entity_docs d on d.entity_id = e.id
  where e.id = any($1::uuid[])
  union all
  select 1, u.entity_id, null, null, null, null, u.update, u.id
  from entity_updates u join entity_docs d on d.entity_id = u.entity_id
  where u.entity_id = any($1::uuid[]) and u.id > d.compacted_through
  order by entity_id, part, seq`;

type DocumentRow = { part: number; entity_id: string; type: string | null; group_id: string | null; visibility: string | null; protected: boolean | null; data: Uint8Array };
export type StoredDocument = { access: EntityAccessRow; state: Uint8Array; laterUpdates: number };

/**
 * What sockets need to open entities' docs, in one round trip: each one's access facts and its
 * stored Yjs state (the snapshot merged with every later logged update, and how many of those
 * there are). Entities (or docs) that do not exist are absent from the map.
 */
export async function loadEntityDocuments(db: Db, entityIds: string[]): Promise<Map<string, StoredDocument>> {
  const found = new Map<string, StoredDocument>();
  const ids = entityIds.filter(isUuid);
  if (ids.length === 0) return found;
  // One array parameter (ids are checked uuids), so every batch size is the same statement,
  // prepared once per connection on postgres.js (its plan is made once, not for every batch).
  const rows = await driverQuery(db)<DocumentRow>(LOAD_DOCUMENTS, [`{${ids.join(',')}}`]);
  const merging: Promise<void>[] = [];
  for (let i = 0; i < rows.length; ) {
    const head = rows[i++];
    const later: Uint8Array[] = [];
    while (i < rows.length && rows[i].entity_id === head.entity_id) later.push(new Uint8Array(rows[i++].data));
    if (head.part !== 0) continue; // log rows of a doc without a snapshot row: no such doc
    const access: EntityAccessRow = { id: head.entity_id, type: head.type!, groupId: head.group_id, visibility: head.visibility!, protected: head.protected! };
    const snapshot = new Uint8Array(head.data);
    merging.push(mergeLog(snapshot, later).then((state) => void found.set(head.entity_id, { access, state, laterUpdates: later.length })));
  }
  await Promise.all(merging);
  return found;
}

/** One entity's doc and access facts (see `loadEntityDocuments`); null when it does not exist. */
export async function loadEntityDocument(db: Db, entityId: string): Promise<StoredDocument | null> {
  return (await loadEntityDocuments(db, [entityId])).get(entityId) ?? null;
}

/**
 * `loadEntityDocument` for a server opening many docs at once (a restart, when every client
 * reconnects): a load asked for while another is running waits for it and goes out with the
 * others asked for meanwhile, one query for up to `maxBatch` docs. A lone load goes at once.
 */
export function createDocumentLoader(db: Db, maxBatch = 100): (entityId: string) => Promise<StoredDocument | null> {
  type Ask = { resolve: (doc: StoredDocument | null) => void; reject: (err: unknown) => void };
  const waiting = new Map<string, Ask[]>();
  let running = false;
  async function drain(): Promise<void> {
    running = true;
    while (waiting.size > 0) {
      const batch = [...waiting].slice(0, maxBatch);
      for (const [id] of batch) waiting.delete(id);
      try {
        const docs = await loadEntityDocuments(db, batch.map(([id]) => id));
        for (const [id, asks] of batch) for (const ask of asks) ask.resolve(docs.get(id) ?? null);
      } catch (err) {
        for (const [, asks] of batch) for (const ask of asks) ask.reject(err);
      }
    }
    running = false;
  }
  return (entityId) => {
    const loaded = new Promise<StoredDocument | null>((resolve, reject) => {
      const asks = waiting.get(entityId);
      if (asks) asks.push({ resolve, reject });
      else waiting.set(entityId, [{ resolve, reject }]);
    });
    if (!running) void drain();
    return loaded;
  };
}

/** The stored Yjs state of an entity's doc (snapshot + later logged updates); null when there is none. */
export async function loadEntityState(db: Db, entityId: string): Promise<Uint8Array | null> {
  return (await loadEntityDocument(db, entityId))?.state ?? null;
}
