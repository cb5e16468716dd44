import { eq, inArray } from 'drizzle-orm';
import * as Y from 'yjs';
import { driverQuery, type Db } from '@/db/client';
import { entities } from '@/db/schema';
import { isUuid } from '@/components/model/ids';
import { mergeUpdatesInBackground } from './background-merge';
import { PACKED_UPDATES_SQL, unpackUpdates } from './merge-updates.mjs';

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

async function mergeLog(snapshot: Uint8Array, packed: Uint8Array | null): Promise<{ state: Uint8Array; laterUpdates: number }> {
  const later = packed ? unpackUpdates(packed) : [];
  if (later.length === 0) return { state: snapshot, laterUpdates: 0 };
  if (later.length < MERGE_IN_BACKGROUND_FROM) return { state: Y.mergeUpdates([snapshot, ...later]), laterUpdates: later.length };
  // A copy of the packed log alone goes to the worker, not the driver's buffer it is a view of.
  return { state: (await mergeUpdatesInBackground([snapshot], new Uint8Array(packed!))).state, laterUpdates: later.length };
}

/**
 * One row per doc: its access facts, its snapshot, and every update left in its log (compaction
 * deletes exactly the rows it folds) packed in one value (PACKED_UPDATES_SQL; `update` and `id`
 * there are the log row's).
 */
const loadDocumentsWhere = (condition: string) => `
  select e.id, e.type, e.group_id, e.visibility, e.protected, d.state,
    (select ${PACKED_UPDATES_SQL} from entity_updates u where u.entity_id = e.id) as later
  from entities e join entity_docs d on d.entity_id = e.id
  where ${condition}`;
// On postgres.js both are prepared once per connection. PostgreSQL plans the one-doc statement
// once and for all; the many-docs one again for each list of ids (0.3–0.4 ms each time), which
// a batch shares.
const LOAD_DOCUMENT = loadDocumentsWhere('e.id = $1::uuid');
const LOAD_DOCUMENTS = loadDocumentsWhere('e.id = any($1::uuid[])'); // ids are checked uuids

type DocumentRow = { id: string; type: string; group_id: string | null; visibility: string; protected: boolean; state: Uint8Array; later: Uint8Array | null };
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
  const load = driverQuery(db);
  const rows = await (ids.length === 1 ? load<DocumentRow>(LOAD_DOCUMENT, ids) : load<DocumentRow>(LOAD_DOCUMENTS, [`{${ids.join(',')}}`]));
  await Promise.all(
    rows.map(async (row) => {
      const access: EntityAccessRow = { id: row.id, type: row.type, groupId: row.group_id, visibility: row.visibility, protected: row.protected };
      const { state, laterUpdates } = await mergeLog(new Uint8Array(row.state), row.later);
      found.set(row.id, { access, state, laterUpdates });
    }),
  );
  return found;
}

/** One entity's doc and access facts (see `loadEntityDocuments`); null when it does not exist. */
export async function loadEntityDocument(db: Db, entityId: string): Promise<StoredDocument | null> {
  return (await loadEntityDocuments(db, [entityId])).get(entityId) ?? null;
}

/**
 * `loadEntityDocument` for a server opening many docs at once (a restart, when every client
 * reconnects). The loads asked for in one turn of the event loop (the upgrades of the sockets
 * that turn read) go out together at its end, one query for up to `maxBatch` docs; up to
 * `inFlight` queries run at a time, and what is asked for while they all run goes out when the
 * first returns. A statement's own cost in PostgreSQL is most of a one-doc load (its backend's
 * CPU: ~65 µs for one doc, ~22 µs a doc for five at once): while 500 docs × 3 clients connect,
 * PostgreSQL's CPU went from 120 to 80 ms and the server's from 450 to 410, with the connect
 * as fast (bench/RESULTS.md, the runs of 2026-12-06 07:55 and 08:05 UTC).
 */
export function createDocumentLoader(db: Db, { inFlight = 4, maxBatch = 100 } = {}): (entityId: string) => Promise<StoredDocument | null> {
  type Ask = { resolve: (doc: StoredDocument | null) => void; reject: (err: unknown) => void };
  const waiting = new Map<string, Ask[]>();
  let running = 0;
  let scheduled = false;
  function send(): void {
    scheduled = false;
    while (running < inFlight && waiting.size > 0) {
      const batch = [...waiting].slice(0, maxBatch);
      for (const [id] of batch) waiting.delete(id);
      running++;
      loadEntityDocuments(db, batch.map(([id]) => id))
        .then(
          (docs) => batch.forEach(([id, asks]) => asks.forEach((ask) => ask.resolve(docs.get(id) ?? null))),
          (err: unknown) => batch.forEach(([, asks]) => asks.forEach((ask) => ask.reject(err))),
        )
        .finally(() => {
          running--;
          send();
        });
    }
  }
  return (entityId) => {
    const loaded = new Promise<StoredDocument | null>((resolve, reject) => {
      const asks = waiting.get(entityId);
      if (asks) asks.push({ resolve, reject });
      else waiting.set(entityId, [{ resolve, reject }]);
    });
    if (!scheduled) {
      scheduled = true;
      setImmediate(send);
    }
    return loaded;
  };
}

/** The stored Yjs state of an entity's doc (snapshot + later logged updates); null when there is none. */
export async function loadEntityState(db: Db, entityId: string): Promise<Uint8Array | null> {
  return (await loadEntityDocument(db, entityId))?.state ?? null;
}
