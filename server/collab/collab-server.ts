import type { Duplex } from 'node:stream';
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as authProtocol from 'y-protocols/auth';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import type { Db, Notifications } from '@/db/client';
import { isUuid } from '@/components/model/ids';
import { canEditEntity, canReadEntity } from '@/server/policies/entity';
import { authEvents, type AuthChange } from '@/server/auth/events';
import { resolveViewer, bearerTokenFromHeader, sessionTokenFromCookieHeader, type Viewer } from '@/server/auth/viewer';
import { MERGE_IN_BACKGROUND_FROM, createDocumentLoader, loadEntityDocument, loadEntityState, type EntityAccessRow } from './doc-store';
import { compactEntity, createLogVacuum, createUpdateLog } from './update-log';
import { endBackgroundCompactions, startMergeWorker } from './background-merge';
import { createProjector } from './projector';
import { createAccessChecks } from './access-checks';
import type { Collab, UpgradeRequest } from './registry';
import { destroyOnError, rejectUpgrade } from './reject-upgrade';
import { createOutbox } from './outbox';
import { acceptWebSocket, type ClientSocket } from './websocket';
import { presenceOf, vetPresence } from './presence';
import { watchLiveness } from './liveness';
import { createRelay, RELAYED, RELAYED_FROM } from './relay';
import { evenOutTables, loadTableMaps, mayBeUneven, reshapedTables, setsSpanTooFar, tableMapsLoaded, type UpdateStructs } from './table-repair';
import { createRevision } from '@/server/revisions/store';
import { docAuthorship } from '@/server/docs/authorship';
import { BODY, FIELDS, STATEMENTS, docFromUpdates, editAsNewClient, newEntityDoc, plainFieldsToTexts, readEntityDoc, type EntityContent } from '@/server/docs/entity-doc';
import { clientOwners } from '@/db/queries/authorship';
import { isEntityType, type EntityType } from '@/components/model/entity-types';
import { CHANGE_REFUSED_CLOSE, PAGE_FULL_CLOSE } from '@/components/model/close-codes';
import { MAX_TABLE_SPAN } from '@/components/editor/schema/rules';
import { failureOf } from '@/db/errors';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_AUTH = 2;
const MESSAGE_QUERY_AWARENESS = 3;
/** Messages above this are refused with close code 1009 (message too big). */
export const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
/**
 * The most a page's doc may hold, encoded (its content and what Yjs keeps of its history):
 * twice the longest article Wikipedia takes. A change that would take it past this is refused
 * and its socket closed (PAGE_FULL_CLOSE); changes that only delete are always taken, so a full
 * page can be shortened.
 */
export const MAX_DOC_BYTES = 4 * 1024 * 1024;
/** Awareness messages a connection may send per second; more are dropped. */
const AWARENESS_PER_SECOND = 30;
/**
 * Answers to a client's sync step 1 per second (its first is answered at joining): each may
 * hold the whole doc. A y-websocket client sends one when it connects and, if set to, every
 * few seconds; more are dropped.
 */
const SYNC_ANSWERS_PER_SECOND = 5;
/** Client ids a connection may show presence for: a y-websocket client has one, its doc's. */
const PRESENCES_PER_CONNECTION = 4;
/** How often open sockets' credentials and permissions are re-checked (revocations by other instances). */
const RECHECK_MS = 3000;
/**
 * An open doc's log is folded into its snapshot once it holds this many updates, at the first
 * pause of COMPACT_QUIET_MS in its edits: a compaction merges the log on a worker thread and
 * rewrites the snapshot in a transaction, work that holds up the edits of the people typing (in
 * the collaboration bench, one during a 10-reader fan-out made its slowest deliveries: 18 ms,
 * the median 0.6). Edits that never pause are compacted at COMPACT_AT_MOST updates regardless.
 */
const COMPACT_EVERY = 500;
const COMPACT_QUIET_MS = Number(process.env.COMPACT_QUIET_MS || 2000);
const COMPACT_AT_MOST = 4 * COMPACT_EVERY;
/**
 * A doc its last client leaves is compacted only with at least this many logged updates. A
 * shorter log stays for the next load, which merges it at once (doc-store): cheaper than a
 * compaction's transaction of six round trips, for each of the many docs a crowd leaves at once.
 */
const COMPACT_ON_CLOSE_FROM = MERGE_IN_BACKGROUND_FROM;
/**
 * How long a table reshaped by this instance's client stays a candidate for a merge with another
 * instance's concurrent change (see `repairRelayedMerge`): far more than a relayed update takes.
 */
const OWN_RESHAPE_MS = 10_000;
/**
 * How long an instance waits before repairing a merge when another instance first by name is
 * running but no change of it to the table has arrived (see `evenOutWhenDue`). A relayed
 * update takes a few milliseconds; this leaves it room to arrive under load.
 */
const RELAY_SETTLE_MS = 200;
/**
 * How long an instance leaves a merge to the instance that is to repair it before it checks the
 * table again (see `evenOutWhenDue`): that repair takes a relayed update's few milliseconds.
 */
const REPAIR_WAIT_MS = 1000;
/**
 * The wait before a doc holding edits the log lacks (`Room.unlogged`) is written again after its
 * compaction failed; each failure doubles it, up to SAVE_AGAIN_AT_MOST_MS.
 */
const SAVE_AGAIN_FIRST_MS = 1000;
const SAVE_AGAIN_AT_MOST_MS = 30_000;
/**
 * When the server shuts down, how long it keeps trying to write a doc holding edits the log lacks
 * (its only copy) while the database fails: within the collaboration process's 4 s to close.
 */
const SAVE_AT_SHUTDOWN_MS = 2500;
/** After this long without edits, the doc's state is recorded as an automatic revision. */
const AUTO_REVISION_IDLE_MS = Number(process.env.AUTO_REVISION_IDLE_MS || 3 * 60_000);

type Conn = {
  viewer: Viewer;
  canEdit: boolean;
  /** Awareness messages (updates and queries) and sync answers since `countedSince` (ms), for the flood limits. */
  countedSince: number;
  awarenessCount: number;
  syncAnswerCount: number;
  /**
   * The doc was sent whole on joining, and every update since: the client's first sync step 1
   * needs no answer (until it arrives).
   */
  sentWhole: boolean;
};
type OwnReshape = { at: number; userId: string | null; mergedWith: Map<string, number> };
type Room = {
  entityId: string;
  type: EntityType;
  doc: Y.Doc;
  awareness: awarenessProtocol.Awareness;
  conns: Map<ClientSocket, Conn>;
  /**
   * Who set each client id of the awareness: a connection or another instance (relay.ts). Made
   * with the first presence: most docs open have none.
   */
  presenceHolders: Map<number, Conn | typeof ELSEWHERE> | null;
  access: EntityAccessRow;
  idle?: NodeJS.Timeout;
  /** The content (fields, statements, body) changed since the last revision. */
  edited: boolean;
  /**
   * Whether a transaction changed the content (not only other shared types) since this was
   * last cleared. Not just the last transaction's say: applying an update to text with
   * formatting (a link, bold) runs a second transaction of Yjs's own after it (the formatting's
   * cleanup), which usually changes nothing.
   */
  contentTouched: boolean;
  /** While a client's update is applied: the tables whose rows or cells it changed (see `reshapedTables`). */
  reshaped: Y.XmlElement[] | null;
  /**
   * With other instances there: the tables this instance's clients reshaped in the last
   * OWN_RESHAPE_MS, by whom, and the other instances whose changes to them arrived since (name →
   * when; see `repairRelayedMerge`). Made with the first: most docs have none.
   */
  ownReshapes: Map<Y.XmlElement, OwnReshape> | null;
  /** Logged updates not yet folded into the snapshot (loaded with the doc or appended since). */
  uncompacted: number;
  /**
   * Edits whose write to the log failed, since a compaction last wrote the doc itself: only the
   * doc has them (their sender, told to reconnect, finds them here and does not send them
   * again). While there are any, the next compaction merges the doc into the snapshot, and one
   * is due at the next pause in the edits; one that fails is tried again, later and later, and
   * the room stays loaded meanwhile even with nobody in it (see `saveAgainLater`).
   */
  unlogged: number;
  /** The doc's size, encoded: measured (`sizeMeasured`), or the stored state's plus every update's since (more than it is). */
  size: number;
  sizeMeasured: boolean;
  /** The compaction waiting for a pause in the edits (see COMPACT_EVERY), or to write unlogged edits again (`saveAgainLater`). */
  compaction?: NodeJS.Timeout;
  /** Unloaded: a connection that got this room while it closed must open a new one. */
  closed: boolean;
};

const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Map());
/** Longest `?sv=` taken (base64): a state vector of some hundreds of writers. */
const MAX_CLAIMED_STATE = 8192;

/** The state vector in a reconnecting client's `?sv=` (base64), when it is one; anything else is ignored. */
function claimedState(param: string | null): Uint8Array | null {
  if (!param || param.length > MAX_CLAIMED_STATE) return null;
  const bytes = new Uint8Array(Buffer.from(param, 'base64'));
  try {
    Y.decodeStateVector(bytes);
    return bytes;
  } catch {
    return null;
  }
}

/**
 * Whether the transaction changed the doc's root type `name` or anything in it. Yjs lists the
 * types it changed (`changed`) and, for typed ones, each with its ancestors up to the root
 * (`changedParentTypes`). A root type that arrived in an update and was never asked for by
 * kind (`getMap`…) is a bare AbstractType, which lists nothing of its own: its direct changes
 * are only in `changed`.
 */
function touchesRoot(transaction: Y.Transaction, name: string): boolean {
  const type = transaction.doc.share.get(name);
  return type !== undefined && (transaction.changed.has(type) || transaction.changedParentTypes.has(type));
}

/** The holder of a presence set through another instance. */
const ELSEWHERE = 'elsewhere';

/** Records who holds a client id of the room's awareness: a connection, other instances, or no one (it left). */
function holdPresence(room: Room, clientId: number, holder: Conn | typeof ELSEWHERE | null): void {
  if (holder === null) room.presenceHolders?.delete(clientId);
  else (room.presenceHolders ??= new Map()).set(clientId, holder);
}

/** The client ids whose presence `holder` set (a connection: its client's, at most PRESENCES_PER_CONNECTION). */
function presencesOf(room: Room, holder: Conn | typeof ELSEWHERE): number[] {
  const ids: number[] = [];
  for (const [clientId, by] of room.presenceHolders ?? []) if (by === holder) ids.push(clientId);
  return ids;
}

/**
 * Whether `conn` may set the presence of `clientId`: not while another person's connection
 * holds it, nor a client of another instance (vouched for there). Another connection of the
 * same person may: someone back on a new connection (a y-websocket client keeps its id) before
 * the old one is noticed gone; the id then passes to the new one, so that the old one's closing
 * does not take their caret off everyone's page.
 */
function mayUse(room: Room, conn: Conn, clientId: number): boolean {
  const holder = room.presenceHolders?.get(clientId);
  if (holder === ELSEWHERE) return false;
  return !holder || holder === conn || (conn.viewer.user !== null && holder.viewer.user?.id === conn.viewer.user.id);
}

/** The connection's flood counters, started again when a second has passed since they were. */
function countThisSecond(conn: Conn): Conn {
  const now = Date.now();
  if (now - conn.countedSince >= 1000) {
    conn.countedSince = now;
    conn.awarenessCount = 0;
    conn.syncAnswerCount = 0;
  }
  return conn;
}

/** Whether the room's doc can take `update` (its decoded `structs`) and stay within MAX_DOC_BYTES; an update that only deletes always can. */
function hasRoomFor(room: Room, update: Uint8Array, structs: UpdateStructs): boolean {
  if (room.size + update.length <= MAX_DOC_BYTES) return true;
  if (structs.length === 0) return true;
  if (room.sizeMeasured) return false;
  // The running sum counts every update whole, deletions and retyped text too: measure before refusing.
  room.size = Y.encodeStateAsUpdate(room.doc).length;
  room.sizeMeasured = true;
  return room.size + update.length <= MAX_DOC_BYTES;
}

/** The Yjs client ids an update's structs were made by (`Y.parseUpdateMeta(update).to`'s keys). */
function clientIdsOf(structs: UpdateStructs): number[] {
  const ids: number[] = [];
  for (const { id } of structs) if (ids.at(-1) !== id.client && !ids.includes(id.client)) ids.push(id.client);
  return ids;
}

function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length <= 2 && update.every((b) => b === 0);
}

/**
 * The y-websocket endpoint `/collab/<entityId>` (sync + awareness from `y-protocols`).
 * - Authenticates on upgrade (session cookie or `?token=`) with the entity policies: no read
 *   access → HTTP 404 before any document byte; read-only → gets the doc, its updates are
 *   dropped and it is told so.
 * - Loads the doc (snapshot + logged updates) before answering anyone, and sends it whole to
 *   each client as it joins (its own first step 1 then needs no answer; later ones are answered in full).
 * - Appends every accepted update to Postgres (group commit), refreshes the projections,
 *   compacts a long log when the last client leaves, and unloads idle docs.
 * - Drops connections that stop answering pings (liveness.ts): a client gone without a word
 *   leaves its doc and its caret as one that closed would.
 * - Re-checks sockets when credentials are revoked or permissions change.
 * - With `notifications` (PostgreSQL), relays edits and presence to and from the other
 *   instances on the same database (relay.ts).
 */
export function createCollabServer(
  db: Db,
  {
    notifications,
    onLive,
    databaseUrl,
  }: {
    notifications?: Notifications;
    /** The PostgreSQL database's URL, for compactions made on a worker thread with a connection of their own (`compactEntity`); none on PGlite. */
    databaseUrl?: string;
    /**
     * Told when an entity's doc is open here (or was edited through another instance a moment
     * ago), and when it no longer is (its projections written): a page view need not ask about others.
     */
    onLive?: (entityId: string, open: boolean) => void;
  } = {},
): Collab {
  const clients = new Set<ClientSocket>();
  const outbox = createOutbox();
  const send = outbox.send;
  const liveness = watchLiveness(() => clients);
  const rooms = new Map<string, Promise<Room | null>>();
  /** Rooms whose doc is loaded, for the synchronous fast path of a connection to an open doc. */
  const live = new Map<string, Room>();
  /** Rooms closing, until their last edits are projected: a page view of one waits for it (`projected`). */
  const projecting = new Map<string, Promise<void>>();
  /** A room is gone, or edits through another instance ended a while ago: tell `onLive`, unless it is open again, still being projected or edited elsewhere. */
  const gone = (entityId: string) => {
    if (!live.has(entityId) && !projecting.has(entityId) && !relay?.isEditedElsewhere(entityId)) onLive?.(entityId, false);
  };
  /** Viewers by credential (resolved or being resolved), for a few seconds: many sockets of one user connect at once. */
  const viewers = new Map<string, { viewer: Promise<Viewer>; at: number }>();
  const VIEWER_TTL_MS = 5000;

  function viewerFor(credentials: { bearerToken: string | null; sessionToken: string | null }): Promise<Viewer> {
    const key = `${credentials.bearerToken ?? ''}|${credentials.sessionToken ?? ''}`;
    const cached = viewers.get(key);
    if (cached && Date.now() - cached.at < VIEWER_TTL_MS) return cached.viewer;
    if (viewers.size > 10_000) viewers.clear();
    const viewer = resolveViewer(db, credentials);
    viewers.set(key, { viewer, at: Date.now() });
    viewer.catch(() => viewers.get(key)?.viewer === viewer && viewers.delete(key));
    return viewer;
  }
  const openRooms = async () => (await Promise.all([...rooms.values()].map((r) => r.catch(() => null)))).filter((r): r is Room => Boolean(r));
  const relay = notifications
    ? createRelay<Room>(db, notifications, {
        roomOf: (entityId) => rooms.get(entityId)?.catch(() => null) ?? null,
        openRooms,
        ownClients: (room) => [...(room.presenceHolders ?? [])].flatMap(([clientId, by]) => (by === ELSEWHERE ? [] : [clientId])),
        authChanged: (change) => recheck(change),
        writesDone: () => log.written(),
        handedOver: (room) => touch(room),
        leftTogether: (entityId) => void autoRevisionAfterAll(entityId).catch((err: Error) => console.error(`collab: automatic revision failed: ${failureOf(err)}`)),
        projectHere: (entityId) => projectedHere(entityId),
        // A page view here asks the instance the edits came through (`projected`).
        editedElsewhere: (entityId, recent) => (recent ? onLive?.(entityId, true) : gone(entityId)),
      })
    : null;
  const log = createUpdateLog(db, { announceAs: () => relay?.announceAs() ?? null });
  const projector = createProjector(db);
  const loadDocument = createDocumentLoader(db);
  const logVacuum = createLogVacuum(db);
  startMergeWorker('low'); // compactions' merges: its start-up is paid now, not during someone's typing
  let closing = false;

  /**
   * Folds the room's log into its snapshot (with the doc itself when it holds an edit the log
   * lacks); the rows it deleted, if it did, are then vacuumed away (`createLogVacuum`), unless
   * the server is closing.
   */
  async function compact(room: Room): Promise<void> {
    const unlogged = room.unlogged;
    if (!(await compactEntity(db, room.entityId, unlogged ? room.doc : null, { databaseUrl }))) return;
    if (room.unlogged === unlogged) room.unlogged = 0; // one failing meanwhile may have come after the doc was encoded
    if (unlogged) {
      // Edits no logged row holds, so no announcement of rows either: the other instances read the doc again.
      relay?.savedWhole(room.entityId);
      // Projections follow persistence: the edits just written were never projected.
      if (!room.closed) projector.schedule(room.entityId, room.type, room.doc);
    }
    if (!closing) logVacuum.request();
  }

  /**
   * Compacts a room whose doc holds edits the log lacks after `wait`, and again and again,
   * doubling the wait, while that fails (the database is down). Their only copy is this doc, so
   * the room stays loaded even with nobody in it; once they are written, a room nobody is in
   * closes. A client that comes meanwhile gets the doc with them.
   */
  function saveAgainLater(room: Room, wait: number): void {
    clearTimeout(room.compaction);
    room.compaction = setTimeout(async () => {
      room.compaction = undefined;
      if (room.closed) return;
      await compact(room).catch((err: Error) => console.error(`collab: could not save the edits of ${room.entityId} yet: ${failureOf(err)}`));
      afterCompaction(room, Math.min(Math.max(2 * wait, SAVE_AGAIN_FIRST_MS), SAVE_AGAIN_AT_MOST_MS));
    }, wait);
    room.compaction.unref();
  }

  /**
   * After a compaction of an open room: when the doc still holds edits the log lacks, another
   * after `wait`; when nobody is in the room (it stayed loaded for them), it closes. Nothing when
   * an edit made since has a compaction waiting already.
   */
  function afterCompaction(room: Room, wait: number): void {
    if (room.closed || room.compaction) return;
    if (room.unlogged) saveAgainLater(room, wait);
    else if (room.conns.size === 0 && !closing) void closeRoom(room);
  }

  async function openRoom(entityId: string): Promise<Room | null> {
    await log.flush(); // the updates of a room of this entity that is closing are all in the database
    await relay?.ready; // so nothing another instance commits after the load goes unheard
    const stored = await loadDocument(entityId);
    if (!stored || !isEntityType(stored.access.type)) return null;
    const doc = newEntityDoc(entityId);
    Y.applyUpdate(doc, stored.state);
    let size = stored.state.length;
    let laterUpdates = stored.laterUpdates;
    // A doc made before infobox fields were texts gets texts before anyone is answered: two editors
    // each turning a field into a text at once would each make their own, and one's typing would
    // be lost. Each text is attributed to whoever set the value.
    const converted = plainFieldsToTexts(doc);
    if (converted.length) {
      const owners = await clientOwners(db, entityId, converted.map((c) => c.from));
      for (const { from, updates } of converted) {
        for (const update of updates) {
          await log.append(entityId, update, owners.get(from)?.id ?? null);
          size += update.length;
          laterUpdates++;
        }
      }
    }
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState(null); // the server has no presence of its own
    const room: Room = { entityId, type: stored.access.type, doc, awareness, conns: new Map(), presenceHolders: null, access: stored.access, edited: false, contentTouched: false, reshaped: null, ownReshapes: null, uncompacted: laterUpdates, unlogged: 0, size, sizeMeasured: false, closed: false };
    // Whether each transaction changed the content. Deep observers on the three root types
    // would say the same, at the cost of an event handler each, Yjs sorting their events by
    // path on every edit, and a type made for statements in every doc that has none.
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (!(touchesRoot(transaction, FIELDS) || touchesRoot(transaction, STATEMENTS) || touchesRoot(transaction, BODY))) return;
      room.contentTouched = true;
      if (room.reshaped) room.reshaped.push(...reshapedTables(transaction));
      // Edits made through other instances count as edits here too: this instance may be the
      // last one the doc's clients leave, and its idle timer covers them.
      if (transaction.origin === RELAYED) {
        touch(room);
        if (room.ownReshapes) repairRelayedMerge(room, transaction);
      }
    });
    live.set(entityId, room);
    onLive?.(entityId, true);
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      room.size += update.length;
      room.sizeMeasured = false;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      syncProtocol.writeUpdate(encoder, update);
      outbox.broadcast(room.conns.keys(), encoding.toUint8Array(encoder), origin);
    });
    awareness.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      // An id is held by the connection (or the other instances) that set it last (see mayUse).
      const conn = room.conns.get(origin as ClientSocket);
      const setter = conn ?? (origin === RELAYED ? ELSEWHERE : null);
      if (setter) for (const id of [...added, ...updated]) holdPresence(room, id, setter);
      for (const id of removed) holdPresence(room, id, null);
      const changed = [...added, ...updated, ...removed];
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, changed));
      outbox.broadcast(room.conns.keys(), encoding.toUint8Array(encoder));
      // This instance's clients (and their leaving); the others' expiring ('timeout') is theirs to tell.
      if (relay && origin !== RELAYED && origin !== 'timeout') relay.shareAwareness(room, changed);
    });
    relay?.roomOpened(entityId);
    return room;
  }

  /** Records the doc as an automatic revision if it changed since the last one (same hash: nothing is written). */
  async function autoRevision(room: Room): Promise<void> {
    clearTimeout(room.idle);
    if (!room.edited) return;
    room.edited = false;
    await log.flush();
    await relay?.settled(); // with what other instances' clients wrote
    await recordAutoRevision(room.entityId, readEntityDoc(room.doc));
  }

  function recordAutoRevision(entityId: string, content: EntityContent) {
    return createRevision(db, entityId, { kind: 'auto', summary: 'Automatic save', content, createdBy: null });
  }

  /**
   * Rooms closing (their last projection, automatic revision and compaction under way): shutting
   * down waits for them before the database closes. A room whose last client left a moment before
   * is no longer among the open ones.
   */
  const closingRooms = new Set<Promise<void>>();

  function closeRoom(room: Room): Promise<void> {
    const closed = closeRoomNow(room);
    closingRooms.add(closed);
    const done = () => void closingRooms.delete(closed);
    closed.then(done, done);
    return closed;
  }

  async function closeRoomNow(room: Room): Promise<void> {
    if (room.closed) return;
    // Its doc holds the only copy of edits the log lacks: written first, the room closing after.
    if (room.unlogged && !closing) return saveAgainLater(room, 0);
    room.closed = true;
    if (live.get(room.entityId) === room) {
      live.delete(room.entityId);
      rooms.delete(room.entityId);
    }
    clearTimeout(room.compaction);
    const projection = projectNow(room.entityId);
    projecting.set(room.entityId, projection);
    void projection
      .catch(() => {})
      .finally(() => {
        if (projecting.get(room.entityId) === projection) projecting.delete(room.entityId);
        gone(room.entityId);
      });
    try {
      await projection;
      projector.forget(room.entityId);
      // The automatic revision is for when the doc's last client leaves. What is left in the
      // awareness now belongs to other instances' clients: the last of those instances makes it.
      if (relay && room.edited && room.awareness.getStates().size > 0) {
        clearTimeout(room.idle); // theirs now, the idle one included
        relay.handOver(room.entityId);
      } else {
        await autoRevision(room);
      }
      if (room.unlogged) await saveBeforeExit(room);
      else if (room.uncompacted >= COMPACT_ON_CLOSE_FROM) await compact(room);
    } catch (err) {
      console.error(`collab: could not compact ${room.entityId}: ${failureOf(err)}`);
    } finally {
      room.awareness.destroy();
      room.doc.destroy();
    }
  }

  /**
   * Writes a doc holding edits the log lacks as its room closes: only while the server shuts down
   * (otherwise the room stays loaded until they are written, `saveAgainLater`) or when a write
   * failed while the room closed. Tried again, sooner than `saveAgainLater` does, for up to
   * SAVE_AT_SHUTDOWN_MS; edits still unwritten then are lost, and the log says so.
   */
  async function saveBeforeExit(room: Room): Promise<void> {
    const deadline = performance.now() + SAVE_AT_SHUTDOWN_MS;
    let failure: Error | null = null;
    for (let wait = 100; ; wait *= 2) {
      failure = await compact(room).then(() => null, (err: Error) => err);
      if (!room.unlogged || performance.now() + wait > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    if (room.unlogged) console.error(`collab: ${room.unlogged} edit(s) of ${room.entityId} could not be saved before the server stopped${failure ? `: ${failureOf(failure)}` : ''}`);
  }

  function deny(ws: ClientSocket, reason: string): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AUTH);
    authProtocol.writePermissionDenied(encoder, reason);
    send(ws, encoding.toUint8Array(encoder));
  }

  /** Applies a client's document update: only from editors; persisted before anyone else relies on it. */
  function receiveUpdate(room: Room, ws: ClientSocket, conn: Conn, update: Uint8Array): void {
    if (isEmptyUpdate(update)) return;
    if (!conn.canEdit) return deny(ws, 'read-only: you may not edit this page');
    // Decoded once, for the checks and for the log (the client ids it records); one that cannot
    // be decoded throws, and its socket is closed as malformed before anything is applied.
    const { structs } = Y.decodeUpdate(update);
    if (setsSpanTooFar(room.doc, structs)) {
      // Not applied, as a change past the size limit below.
      return ws.close(CHANGE_REFUSED_CLOSE, `A table cell may span at most ${MAX_TABLE_SPAN} columns or rows: your last change was not saved.`);
    }
    if (!hasRoomFor(room, update, structs)) {
      // Not applied: the client's doc now holds what the server's lacks, so it is told to stop rather than to send it again.
      return ws.close(PAGE_FULL_CLOSE, `This page is at its size limit (${MAX_DOC_BYTES / 1024 / 1024} MB): your last change was not saved.`);
    }
    room.contentTouched = false;
    room.reshaped = [];
    Y.applyUpdate(room.doc, update, ws);
    const reshaped = room.reshaped;
    room.reshaped = null;
    const contentChanged = room.contentTouched;
    if (contentChanged) touch(room);
    const userId = conn.viewer.user?.id ?? null;
    void logEdit(room, update, userId, contentChanged, clientIdsOf(structs)).catch((err: unknown) => {
      console.error(`collab: could not persist an update to ${room.entityId}: ${failureOf(err)}`);
      ws.close(1011, 'could not save your change yet: the server keeps it and saves it once the database answers');
    });
    // Merging it left a table's rows uneven: the cells that even them out are this user's edit too.
    if (reshaped.some(mayBeUneven)) evenOutWhenDue(room, reshaped, userId);
    if (reshaped.length && relay) noteOwnReshapes(room, reshaped, userId);
  }

  /**
   * Appends an edit to the log; once it is durable, projections (if it changed the content) and
   * compaction follow. `clientIds`: the client ids it was made by, when it is decoded already.
   */
  async function logEdit(room: Room, update: Uint8Array, userId: string | null, contentChanged: boolean, clientIds?: number[]): Promise<void> {
    await appendToLog(room, room.entityId, update, userId, clientIds);
    // Projections and revisions follow the content; updates to other shared types are only logged.
    if (contentChanged && !room.closed) projector.schedule(room.entityId, room.type, room.doc);
    room.uncompacted++;
    if (!room.closed) compactWhenQuiet(room);
  }

  function noteOwnReshapes(room: Room, tables: Y.XmlElement[], userId: string | null): void {
    const now = Date.now();
    room.ownReshapes ??= new Map();
    for (const [table, { at }] of room.ownReshapes) if (now - at > OWN_RESHAPE_MS) room.ownReshapes.delete(table);
    for (const table of tables) room.ownReshapes.set(table, { at: now, userId, mergedWith: room.ownReshapes.get(table)?.mergedWith ?? new Map() });
  }

  /**
   * Another instance's update reshaped a table that this instance's client reshaped a moment
   * ago, and each instance had its own client's change before the other's: neither saw the merge
   * in `receiveUpdate`. If the table's rows are now uneven, one of the instances whose changes
   * merged evens them out (`evenOutWhenDue`).
   */
  function repairRelayedMerge(room: Room, transaction: Y.Transaction): void {
    const senders = transaction.meta.get(RELAYED_FROM) as string[] | undefined;
    if (!senders?.length || !relay) return;
    const now = Date.now();
    const reshaped = reshapedTables(transaction);
    const merged = [...(room.ownReshapes ?? [])].filter(([table, own]) => now - own.at <= OWN_RESHAPE_MS && reshaped.includes(table));
    if (merged.length === 0) return;
    for (const [, own] of merged) for (const sender of senders) own.mergedWith.set(sender, now);
    // After this transaction's broadcast: its update, then the repair's.
    setImmediate(() => evenOutWhenDue(room, merged.map(([table]) => table), merged[0][1].userId));
  }

  /**
   * Evens out the tables' rows when they are uneven, as the edit of `userId`, unless another
   * instance is to: when changes of other instances to them merged with this instance's client's
   * in the last OWN_RESHAPE_MS, the first by name of those instances repairs (the relay tells),
   * so that only one adds the missing cells (two would each add them). This instance's clients
   * may reshape the table again before that repair arrives: it is still the other's to make.
   * - With three or more instances, the first one's change may still be on its way when
   *   another's arrives: an instance that could be second waits RELAY_SETTLE_MS for it.
   * - An instance that leaves the repair to another checks again after REPAIR_WAIT_MS. If the
   *   table is still uneven and nothing of the others' came meanwhile (that instance stopped,
   *   or its client's reshape left its window first), it repairs.
   * `waited`: 'settled' after the first wait; the time the second began.
   */
  function evenOutWhenDue(room: Room, tables: Y.XmlElement[], userId: string | null, waited: 'no' | 'settled' | number = 'no'): void {
    if (room.closed || !tables.some(mayBeUneven)) return;
    if (!tableMapsLoaded()) {
      const fail = (err: unknown) => console.error(`collab: could not even out a table of ${room.entityId}: ${failureOf(err)}`);
      return void loadTableMaps().then(() => evenOutWhenDue(room, tables, userId, waited), fail);
    }
    const { repairer, latest } = mergeRepairerOf(room, tables);
    const again = (after: 'settled' | number, ms: number) => void setTimeout(() => evenOutWhenDue(room, tables, userId, after), ms).unref();
    if (repairer === 'unknown' && waited === 'no') return again('settled', RELAY_SETTLE_MS);
    if (repairer === 'another' && (typeof waited !== 'number' || latest > waited)) return again(Date.now(), REPAIR_WAIT_MS);
    for (const update of editAsNewClient(room.doc, () => evenOutTables(room.doc))) {
      logEdit(room, update, userId, true).catch((err: Error) => console.error(`collab: could not persist a table repair of ${room.entityId}: ${failureOf(err)}`));
    }
  }

  /**
   * Which instance repairs a merge in these tables (see `evenOutWhenDue`), this one when no other
   * instance's change to them merged lately; and when the last of those changes came.
   */
  function mergeRepairerOf(room: Room, tables: Y.XmlElement[]): { repairer: 'this' | 'another' | 'unknown'; latest: number } {
    const cutoff = Date.now() - OWN_RESHAPE_MS;
    const others = tables.flatMap((table) => [...(room.ownReshapes?.get(table)?.mergedWith ?? [])].filter(([, at]) => at >= cutoff));
    const latest = Math.max(0, ...others.map(([, at]) => at));
    return { repairer: relay && others.length ? relay.mergeRepairer(others.map(([name]) => name)) : 'this', latest };
  }

  /**
   * A doc that stays open keeps its log short: past COMPACT_EVERY logged updates, its log is
   * folded into the snapshot once its edits pause (each call, an edit, starts the wait again),
   * or at once past COMPACT_AT_MOST. A doc holding an edit the log lacks is due at the next
   * pause whatever its log (the database may be back by then).
   */
  function compactWhenQuiet(room: Room): void {
    if (room.uncompacted < COMPACT_EVERY && !room.unlogged) return;
    clearTimeout(room.compaction);
    const compactNow = () => {
      room.compaction = undefined;
      if (room.closed) return; // closing compacts it
      room.uncompacted = 0;
      void compact(room)
        .catch((err: Error) => console.error(`collab: compaction failed: ${failureOf(err)}`))
        .then(() => afterCompaction(room, SAVE_AGAIN_FIRST_MS));
    };
    if (room.uncompacted >= COMPACT_AT_MOST) return compactNow();
    room.compaction = setTimeout(compactNow, COMPACT_QUIET_MS);
    room.compaction.unref();
  }

  /**
   * Appends an edit of the entity to the log. When the write fails and the edit is in an open
   * room's doc, only that doc has it: a compaction writes the doc itself, at the next pause in
   * its edits (`Room.unlogged`).
   */
  async function appendToLog(room: Room | null, entityId: string, update: Uint8Array, userId: string | null, clientIds?: number[]): Promise<void> {
    try {
      await log.append(entityId, update, userId, clientIds);
    } catch (err) {
      if (room) {
        room.unlogged++;
        if (!room.closed) compactWhenQuiet(room);
      }
      throw err;
    }
  }

  /** Writes the entity's projections now with every edit received (they follow persistence): a refresh waiting for a pause runs, one running is waited for. */
  async function projectNow(entityId: string): Promise<void> {
    await log.flush();
    await projector.flush(entityId);
  }

  /** When the doc is open here (or its room is closing): its projections brought up to every edit received here, and true; false at once otherwise. */
  async function projectedHere(entityId: string): Promise<boolean> {
    const closing = projecting.get(entityId);
    if (closing) return closing.then(() => true, () => true); // its last client left a moment ago: its edits are being projected
    if (!live.has(entityId)) return false;
    await projectNow(entityId);
    return true;
  }

  /** Notes an edit: the idle timer for the automatic revision starts again. */
  function touch(room: Room): void {
    room.edited = true;
    clearTimeout(room.idle);
    room.idle = setTimeout(() => void autoRevision(room).catch((err: Error) => console.error(`collab: automatic revision failed: ${failureOf(err)}`)), AUTO_REVISION_IDLE_MS);
    room.idle.unref();
  }

  /** The entity's room, opened (loaded) if nobody has it open; null when there is no such doc. */
  async function roomFor(entityId: string): Promise<Room | null> {
    for (;;) {
      let loading = rooms.get(entityId);
      if (!loading) {
        loading = openRoom(entityId);
        rooms.set(entityId, loading);
      }
      const room = await loading.catch((err: unknown) => {
        if (rooms.get(entityId) === loading) rooms.delete(entityId);
        throw err;
      });
      if (!room) {
        if (rooms.get(entityId) === loading) rooms.delete(entityId);
        return null;
      }
      if (!room.closed) return room;
    }
  }

  /** Unloads a room nobody is in (its only visitors were refused): nothing to save. */
  function discardRoom(room: Room): void {
    if (room.unlogged) return; // it stayed loaded for edits the log lacks: it closes once they are written
    room.closed = true;
    if (live.get(room.entityId) === room) {
      live.delete(room.entityId);
      rooms.delete(room.entityId);
    }
    room.awareness.destroy();
    room.doc.destroy();
    gone(room.entityId);
  }

  /** Reads the entity's doc as it is now (live, or as stored), with every received update persisted first; null when there is none. */
  async function readCurrentDoc<T>(entityId: string, read: (doc: Y.Doc) => T): Promise<T | null> {
    await log.flush();
    const room = await openedRoom(entityId);
    if (room) {
      await relay?.settled(); // with what other instances' clients wrote
      return read(room.doc);
    }
    const state = await loadEntityState(db, entityId);
    if (!state) return null;
    const doc = docFromUpdates([state], entityId);
    try {
      return read(doc);
    } finally {
      doc.destroy();
    }
  }

  /** The entity's current content, with every received update persisted first. */
  function currentContent(entityId: string): Promise<EntityContent | null> {
    return readCurrentDoc(entityId, readEntityDoc);
  }

  /** The automatic revision on leave when the doc's last clients on two instances left together (see the relay's `leftTogether`). */
  async function autoRevisionAfterAll(entityId: string): Promise<void> {
    const content = await currentContent(entityId);
    if (content) await recordAutoRevision(entityId, content);
  }

  /** The room of an entity if some client has it open. */
  async function openedRoom(entityId: string): Promise<Room | null> {
    return (await rooms.get(entityId)?.catch(() => null)) ?? null;
  }

  function onMessage(room: Room, ws: ClientSocket, conn: Conn, data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    const encoder = encoding.createEncoder();
    const kind = decoding.readVarUint(decoder);
    if (kind === MESSAGE_SYNC) {
      const step = decoding.readVarUint(decoder);
      if (step === syncProtocol.messageYjsSyncStep1) {
        const stateVector = decoding.readVarUint8Array(decoder); // read even when unused: a truncated message closes the socket
        if (conn.sentWhole) {
          // Its answer would hold nothing new, yet cost both ends a message (1,500 of them when 500 docs' clients connect).
          conn.sentWhole = false;
          return;
        }
        if (++countThisSecond(conn).syncAnswerCount > SYNC_ANSWERS_PER_SECOND) return; // flood: drop
        encoding.writeVarUint(encoder, MESSAGE_SYNC);
        syncProtocol.writeSyncStep2(encoder, room.doc, stateVector);
        send(ws, encoding.toUint8Array(encoder));
      } else if (step === syncProtocol.messageYjsSyncStep2 || step === syncProtocol.messageYjsUpdate) {
        receiveUpdate(room, ws, conn, decoding.readVarUint8Array(decoder));
      } else {
        throw new Error(`unknown sync step ${step}`);
      }
    } else if (kind === MESSAGE_AWARENESS) {
      if (++countThisSecond(conn).awarenessCount > AWARENESS_PER_SECOND) return; // flood: drop, the next one in a second gets through
      let held = presencesOf(room, conn).length;
      const mayTake = (clientId: number) => mayUse(room, conn, clientId) && (room.presenceHolders?.get(clientId) === conn || ++held <= PRESENCES_PER_CONNECTION);
      const update = vetPresence(decoding.readVarUint8Array(decoder), presenceOf(conn.viewer.user), mayTake);
      if (update) awarenessProtocol.applyAwarenessUpdate(room.awareness, update, ws);
    } else if (kind === MESSAGE_QUERY_AWARENESS) {
      if (++countThisSecond(conn).awarenessCount > AWARENESS_PER_SECOND) return; // each answer holds everyone's presence
      encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(room.awareness, [...room.awareness.getStates().keys()]));
      send(ws, encoding.toUint8Array(encoder));
    } else if (kind !== MESSAGE_AUTH) {
      throw new Error(`unknown message type ${kind}`);
    }
  }

  /**
   * `known`: the state vector a reconnecting client says it has (`?sv=`), so that it is sent
   * only what it lacks rather than the whole doc again.
   */
  function join(room: Room, ws: ClientSocket, viewer: Viewer, canEdit: boolean, known: Uint8Array | null): void {
    clients.add(ws);
    liveness.watch(ws);
    const conn: Conn = { viewer, canEdit, countedSince: 0, awarenessCount: 0, syncAnswerCount: 0, sentWhole: !known };
    room.conns.set(ws, conn);
    // Protocol errors (a message over the limit, bad framing) close the connection by themselves (1009, 1002…).
    ws.onMessage = (data, binary) => {
      try {
        if (!binary) throw new Error('text frames are not part of the protocol');
        onMessage(room, ws, conn, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      } catch {
        ws.close(1007, 'malformed message'); // only this socket: the room and its other clients go on
      }
    };
    ws.onClose = () => {
      clients.delete(ws);
      room.conns.delete(ws);
      const presences = presencesOf(room, conn);
      if (presences.length) awarenessProtocol.removeAwarenessStates(room.awareness, presences, null);
      if (room.conns.size === 0 && !closing) void closeRoom(room);
    };
    // Told first, so that a client with edits kept from an earlier visit knows they were not taken.
    if (!canEdit) deny(ws, 'read-only: you may read this page but not edit it');
    const stateVector = Y.encodeStateVector(room.doc);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep1); // what writeSyncStep1 writes, with the state vector encoded once
    encoding.writeVarUint8Array(encoder, stateVector);
    send(ws, encoding.toUint8Array(encoder));
    // The doc at once, as a sync step 2, rather than after the client's step 1: the content
    // arrives a round trip sooner. A new client gets all of it, then every update as it comes:
    // its own step 1 needs no answer. A reconnecting one gets what it lacks by its own word;
    // its step 1 is answered in full, so a wrong word costs bytes, never content.
    const content = encoding.createEncoder();
    encoding.writeVarUint(content, MESSAGE_SYNC);
    syncProtocol.writeSyncStep2(content, room.doc, known ?? EMPTY_STATE_VECTOR);
    send(ws, encoding.toUint8Array(content));
    const states = [...room.awareness.getStates().keys()];
    if (states.length) {
      const aw = encoding.createEncoder();
      encoding.writeVarUint(aw, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(aw, awarenessProtocol.encodeAwarenessUpdate(room.awareness, states));
      send(ws, encoding.toUint8Array(aw));
    }
  }

  const checks = createAccessChecks(db, openRooms, deny);

  function recheck(change: AuthChange): void {
    viewers.clear();
    void checks.recheckChange(change).catch(() => {});
  }
  const onAuthChange = (change: AuthChange) => {
    recheck(change);
    relay?.shareAuthChange(change);
  };
  authEvents().on('change', onAuthChange);
  const interval = setInterval(() => void checks.sweep().catch(() => {}), RECHECK_MS);
  interval.unref();

  return {
    /** Handles an HTTP upgrade on `/collab/<entityId>`; no access (or no such doc) is a 404 without upgrading. */
    handleUpgrade(req: UpgradeRequest, socket: Duplex, head: Buffer): void {
      destroyOnError(socket);
      if (closing) return rejectUpgrade(socket, 503, 'Server shutting down');
      const url = new URL(req.url ?? '/', 'http://localhost');
      const entityId = url.pathname.slice('/collab/'.length); // an id is plain hex and dashes: nothing to decode
      if (!isUuid(entityId)) return rejectUpgrade(socket, 404, 'No such document');
      void (async () => {
        const credentials = {
          bearerToken: url.searchParams.get('token') ?? bearerTokenFromHeader(req.headers.authorization),
          sessionToken: sessionTokenFromCookieHeader(req.headers.cookie),
        };
        // The doc and its access facts come in one query, while the viewer is resolved.
        const [viewer, loaded] = await Promise.all([viewerFor(credentials), roomFor(entityId)]);
        // Its last client may have left while the viewer was resolved: then open it again. Checked
        // after every wait: another upgrade that waited for the same load may have closed the
        // room in the meantime (its client had gone, so nobody joined it), and a client that
        // joined a closed room would be cut off from everyone else on the page.
        let room = loaded;
        while (room?.closed) room = await roomFor(entityId);
        if (!room || !canReadEntity(viewer, room.access)) {
          // Nobody is in it (only refused visitors asked for it): nothing to save, unload it.
          if (room && room.conns.size === 0) discardRoom(room);
          return rejectUpgrade(socket, 404, 'No such document');
        }
        const known = claimedState(url.searchParams.get('sv'));
        // The handshake's answer, written at once, and the doc's first messages, which the outbox
        // writes a microtask later (join), leave in one write.
        socket.cork();
        acceptWebSocket(req, socket, head, MAX_MESSAGE_BYTES, (ws) => join(room, ws, viewer, canEditEntity(viewer, room.access), known));
        queueMicrotask(() => socket.uncork()); // after the outbox's own microtask
        // The client went away before the upgrade completed: do not keep its doc loaded for nobody.
        if (room.conns.size === 0) void closeRoom(room);
      })().catch((err: unknown) => {
        console.error(`collab: upgrade failed for ${entityId}: ${failureOf(err)}`);
        rejectUpgrade(socket, 400, 'Could not open the document');
      });
    },

    /** The entity's current content, with every received update persisted first. */
    currentContent,

    /** Which Yjs client inserted each piece of the entity's current content (the owners of client ids are in entity_clients). */
    currentAuthorship: (entityId: string) => readCurrentDoc(entityId, docAuthorship),

    /** The doc's projections brought up to the edits received here and, for those that came through other instances a moment ago, there. */
    async projected(entityId: string): Promise<boolean> {
      const [here, elsewhere] = await Promise.all([projectedHere(entityId), relay?.projectedElsewhere(entityId) ?? false]);
      return here || elsewhere;
    },

    /**
     * Makes the entity's doc hold `content` (a restore) as a normal edit: on the live doc when
     * it is open, so connected editors see it at once, and appended to the update log.
     */
    async restoreContent(entityId: string, userId: string | null, content: EntityContent): Promise<EntityContent | null> {
      // Loaded for restores alone: it brings y-tiptap, and with it ProseMirror's view and state.
      const { replaceDocContent } = await import('@/server/revisions/restore');
      const room = await openedRoom(entityId);
      if (room) await relay?.settled(); // the edit replaces what other instances' clients wrote too
      const stored = room ? null : await loadEntityDocument(db, entityId);
      const doc = room?.doc ?? (stored ? docFromUpdates([stored.state], entityId) : null);
      const type = room?.type ?? stored?.access.type;
      if (!doc || !isEntityType(type)) return null;
      // The restore is this user's edit, attributed to them.
      const updates = editAsNewClient(doc, () => replaceDocContent(doc, content));
      for (const update of updates) await appendToLog(room, entityId, update, userId);
      const restored = readEntityDoc(doc);
      projector.schedule(entityId, type, doc);
      if (room) {
        room.edited = false; // this change gets its own revision from the caller
        room.uncompacted += updates.length;
      } else {
        await projector.flush(entityId);
        projector.forget(entityId);
        doc.destroy();
      }
      return restored;
    },

    /** Stops accepting, closes every socket (1001), and writes everything pending before the database closes. */
    async close(): Promise<void> {
      closing = true;
      clearInterval(interval);
      liveness.stop();
      await relay?.close();
      authEvents().off('change', onAuthChange);
      for (const ws of clients) ws.close(1001, 'server shutting down');
      await log.flush();
      for (const roomPromise of [...rooms.values()]) {
        const room = await roomPromise.catch(() => null);
        if (room) await closeRoom(room);
      }
      await Promise.all(closingRooms);
      await logVacuum.idle(); // before the database closes
      await endBackgroundCompactions();
    },
  };
}
