import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import * as awarenessProtocol from 'y-protocols/awareness';
import { resultRows, type Db, type Notifications } from '@/db/client';
import { isUuid } from '@/components/model/ids';
import type { AuthChange } from '@/server/auth/events';
import { loadEntityDocuments } from './doc-store';
import { failureOf } from '@/db/errors';

/**
 * Several collaboration servers on one PostgreSQL database (DESIGN.md, "Scale past one
 * machine"): each instance LISTENs on one channel.
 * - `u <instance> <entity> <first id> <last id> [<base64 update>,…]`: sent by the update log's
 *   INSERT itself, so only for committed rows. An instance with that doc open applies them; its
 *   own clients then get them like any update. Small updates (up to INLINE_BYTES together, i.e.
 *   typing) come in the notification; otherwise it reads those rows (or, where they were
 *   already folded into the snapshot, the snapshot). Rows are named by id, never "everything
 *   after the last one seen": ids are handed out before commit, so rows of two instances can
 *   commit out of id order.
 * - `s <instance> <entity>`: the instance wrote the doc itself to its snapshot, with edits its
 *   log refused (the database failed them, then answered): no `u` ever announces those, so an
 *   instance with the doc open reads it whole.
 * - `a <instance> <entity> <base64 awareness update>`: carets and presence of an instance's
 *   clients, as they change (one client's always fits: presence.ts keeps a name, a colour and
 *   a caret, MAX_PRESENCE_STATE_CHARS at most).
 * - `q <instance> <entity>`: an instance opened the doc and asks the others for their clients'
 *   presence.
 * - `e <instance> <entity>`: the instance's last client of the doc left with edits not yet in a
 *   revision while others' clients stay: whoever has it open takes over the automatic revision.
 * - `x <instance> <kind> <id>`: a session or token was revoked, or memberships or an entity's
 *   access changed: every instance re-checks the sockets concerned at once.
 * - `p <instance> <entity> <target> <nonce>`: a page view through `instance` of a doc that
 *   `target` announced an edit of a moment ago (its projections may not have followed yet: they
 *   wait for a pause in the typing) asks `target` to write them now; `target` answers
 *   `P <target> <instance> <nonce>` once they are written.
 * - `h <instance>` (on start and every 30 s), `w <instance>` and `g <instance>` (on close):
 *   who else is there. Nothing is announced while no other instance is (one instance alone
 *   pays nothing for the relay). An instance that hears of a new one starts announcing, waits
 *   for its write in flight (made before, unannounced) and welcomes it (`w`); whoever gets a
 *   welcome reads its open docs whole, which covers the sender's unannounced rows, asks who
 *   is on them, and welcomes back if it did not know the sender.
 * A lost LISTEN connection is made again by postgres.js; what was sent meanwhile is lost, so
 * every open doc is then read again whole. Applying what a doc already has changes nothing.
 */
export const RELAY_CHANNEL = 'kb_collab';
/** The origin of changes that came from another instance: they are not logged or relayed again. */
export const RELAYED = Symbol('relayed');
/**
 * Transaction meta key: the instances whose updates a relayed transaction applied (unset when it
 * applied a doc read whole, on catching up).
 */
export const RELAYED_FROM = 'relayedFrom';
/** NOTIFY payloads must stay under 8000 bytes. */
const MAX_PAYLOAD = 7900;
/** Logged updates of one doc up to this many bytes together are sent in their notification (base64: ~5.4 KB). */
export const INLINE_BYTES = 4000;
const HEARTBEAT_MS = 30_000;
/** An instance not heard from for this long is taken to be gone. */
const PEER_EXPIRY_MS = 75_000;
/** A hand-over answered by another within this long means both instances' last clients left together. */
const LEFT_TOGETHER_MS = 10_000;
/**
 * For this long after another instance announced an edit of a doc, that instance's projections
 * of it (page, search) may still be behind it: they follow a 250 ms pause in the typing.
 */
const EDITED_ELSEWHERE_MS = 2000;
/** How long a page view waits for the instance an edit came through to write its projections. */
const PROJECTION_ASK_MS = 1000;

export type RelayRoom = { entityId: string; doc: Y.Doc; awareness: Awareness; closed: boolean };

type Hooks<R extends RelayRoom> = {
  /** The entity's room when this instance has it open or is opening it (resolves once loaded); null otherwise. */
  roomOf(entityId: string): Promise<R | null> | null;
  /** Every open room. */
  openRooms(): Promise<R[]>;
  /** The client ids in the room's awareness that belong to this instance's own clients. */
  ownClients(room: R): number[];
  /** Another instance announced a revocation or permission change. */
  authChanged(change: AuthChange): void;
  /** Resolves when the update log's write in flight (if any) is committed. */
  writesDone(): Promise<void>;
  /** Another instance's last client of this room left with edits not yet in a revision: this instance makes it. */
  handedOver(room: R): void;
  /**
   * This instance handed the doc's edits over a moment ago, and the instance it handed them to
   * has handed its own over too, closing the doc (their last clients left together): nobody has
   * it open to make the automatic revision on leave, so this instance makes it from the stored doc.
   */
  leftTogether(entityId: string): void;
  /** Brings this instance's projections of the doc up to every edit it has received (another instance's page view asks). */
  projectHere(entityId: string): Promise<unknown>;
  /** Another instance announced an edit of a doc not recently edited elsewhere (`recent`), or EDITED_ELSEWHERE_MS passed since its last one. */
  editedElsewhere(entityId: string, recent: boolean): void;
};

const AUTH_CHANGE_KINDS = new Set<string>(['session', 'token', 'user', 'entity'] satisfies AuthChange['kind'][]);

type Asked = { entityId: string; first: string; last: string; from: string };

/** Applies other instances' updates to a doc, in one transaction that names them (RELAYED_FROM). */
function applyRelayed(doc: Y.Doc, update: Uint8Array, senders: string[]): void {
  doc.transact((transaction) => {
    transaction.meta.set(RELAYED_FROM, senders);
    Y.applyUpdate(doc, update, RELAYED);
  }, RELAYED);
}

export function createRelay<R extends RelayRoom>(db: Db, notifications: Notifications, hooks: Hooks<R>) {
  const instance = randomUUID().slice(0, 8);
  let asked: Asked[] = [];
  let outgoing: string[] = [];
  let stopped = false;
  /** Other instances heard from: name → when. */
  const peers = new Map<string, number>();
  /** Docs this instance handed over (see `handOver`): entity id → when. */
  const handedOver = new Map<string, number>();
  /** Docs other instances announced edits of in the last EDITED_ELSEWHERE_MS, oldest first: entity id → by whom, when. */
  const editedElsewhere = new Map<string, { by: string; at: number }>();
  /** Page views waiting for another instance's projections: nonce → done. */
  const asks = new Map<string, () => void>();

  /** Sends what was queued in this turn of the event loop, in one statement. */
  function publish(payload: string): void {
    if (stopped) return;
    if (outgoing.push(payload) > 1) return;
    setImmediate(() => {
      const payloads = outgoing;
      outgoing = [];
      notifications.notify(RELAY_CHANNEL, payloads).catch((err: Error) => console.error(`collab relay: could not notify: ${failureOf(err)}`));
    });
  }

  /** Resolves once the rows announced so far are read and applied. */
  let reading: Promise<void> = Promise.resolve();

  /** Reads the announced rows of every doc asked about in this turn (one query) and applies them. */
  function fetchAnnounced(ask: Asked): void {
    if (asked.push(ask) > 1) return;
    const before = reading;
    reading = new Promise<void>((resolve) =>
      setImmediate(() => {
        const batch = asked;
        asked = [];
        readRows(batch)
          .catch((err: Error) => {
            console.error(`collab relay: could not read announced updates: ${failureOf(err)}`);
            catchUpLater([...new Set(batch.map((a) => a.entityId))]); // rather than miss the rows
          })
          .then(() => before)
          .finally(resolve);
      }),
    );
  }

  async function readRows(batch: Asked[]): Promise<void> {
    // Array literals of checked uuids and digits: one statement for any batch size.
    const list = (values: string[]) => `{${values.join(',')}}`;
    const result = await db.execute(sql`
      with asked as (
        select * from unnest(${list(batch.map((a) => a.entityId))}::uuid[], ${list(batch.map((a) => a.first))}::bigint[], ${list(batch.map((a) => a.last))}::bigint[]) as a(entity_id, first_id, last_id)
      )
      select 0 as part, d.entity_id, d.state as data, 0::bigint as seq
      from entity_docs d where d.entity_id in (select entity_id from asked a where d.compacted_through >= a.first_id)
      union all
      select 1, u.entity_id, u.update, u.id
      from entity_updates u join asked a on u.entity_id = a.entity_id and u.id between a.first_id and a.last_id
      order by entity_id, part, seq`);
    const byEntity = new Map<string, Uint8Array[]>();
    for (const row of resultRows<{ entity_id: string; data: Uint8Array }>(result)) {
      const updates = byEntity.get(row.entity_id) ?? [];
      updates.push(new Uint8Array(row.data));
      byEntity.set(row.entity_id, updates);
    }
    for (const [entityId, updates] of byEntity) {
      const room = await hooks.roomOf(entityId);
      const senders = [...new Set(batch.filter((a) => a.entityId === entityId).map((a) => a.from))];
      if (room && !room.closed) applyRelayed(room.doc, Y.mergeUpdates(updates), senders);
    }
  }

  /** Reads a doc whole (another instance saved edits of it that its log never had: `s`); `settled` waits for it too. */
  function readWhole(entityId: string): void {
    const read = catchUpEntities([entityId]).catch((err: Error) => {
      console.error(`collab relay: could not read a doc saved by another instance: ${failureOf(err)}`);
      catchUpLater([entityId]);
    });
    reading = Promise.all([reading, read]).then(() => undefined);
  }

  /** Reads these docs whole a second later (a read of them failed): once more rather than never. */
  function catchUpLater(entityIds: string[]): void {
    setTimeout(() => void catchUpEntities(entityIds).catch(() => {}), 1000).unref();
  }

  async function catchUpEntities(entityIds: string[]): Promise<void> {
    const docs = await loadEntityDocuments(db, entityIds);
    for (const [entityId, stored] of docs) {
      const room = await hooks.roomOf(entityId);
      if (room && !room.closed) Y.applyUpdate(room.doc, stored.state, RELAYED);
    }
  }

  function onNotify(payload: string): void {
    const [kind, from, ...fields] = payload.split(' ');
    if (!from || from === instance) return;
    if (kind === 'g') return void peers.delete(from);
    const known = peers.has(from);
    peers.set(from, Date.now());
    if (!known) void welcome();
    if (kind === 'w') void catchUpAll({ askPresence: true }); // its earlier, unannounced rows are committed
    if (kind === 'h' || kind === 'w') return;
    if (kind === 'x') {
      const [changeKind = '', id = ''] = fields;
      if (AUTH_CHANGE_KINDS.has(changeKind) && isUuid(id)) hooks.authChanged({ kind: changeKind as AuthChange['kind'], id });
      return;
    }
    if (kind === 'P') {
      const [asker, nonce = ''] = fields;
      if (asker === instance) asks.get(nonce)?.();
      return;
    }
    const [entityId = '', ...rest] = fields;
    if (!isUuid(entityId)) return;
    if (kind === 'u') {
      const [first, last, inline] = rest;
      if (!/^\d{1,19}$/.test(first ?? '') || !/^\d{1,19}$/.test(last ?? '')) return;
      noteEditElsewhere(entityId, from);
      if (!hooks.roomOf(entityId)) return;
      if (!inline) return fetchAnnounced({ entityId, first, last, from });
      withOpenRoom(entityId, (r) => {
        try {
          applyRelayed(r.doc, Y.mergeUpdates(inline.split(',').map((u) => Buffer.from(u, 'base64'))), [from]);
        } catch {
          fetchAnnounced({ entityId, first, last, from }); // not decodable as sent: read the rows instead
        }
      });
    } else if (kind === 's') {
      noteEditElsewhere(entityId, from);
      if (hooks.roomOf(entityId)) readWhole(entityId);
    } else if (kind === 'a') {
      applyPresence(entityId, rest[0] ?? '');
    } else if (kind === 'q') {
      withOpenRoom(entityId, (r) => shareAwareness(r, hooks.ownClients(r)));
    } else if (kind === 'p') {
      const [target, nonce = ''] = rest;
      if (target !== instance || !/^[\w-]{1,36}$/.test(nonce)) return;
      void hooks
        .projectHere(entityId)
        .catch(() => {})
        .then(() => publish(`P ${instance} ${from} ${nonce}`));
    } else if (kind === 'e') {
      const handedAt = handedOver.get(entityId);
      handedOver.delete(entityId);
      if (hooks.roomOf(entityId)) withOpenRoom(entityId, hooks.handedOver);
      else if (handedAt !== undefined && Date.now() - handedAt < LEFT_TOGETHER_MS) hooks.leftTogether(entityId);
    }
  }

  /** Another instance committed an edit of the doc: its projections may lag for EDITED_ELSEWHERE_MS (kept oldest first). */
  function noteEditElsewhere(entityId: string, by: string): void {
    const recent = editedElsewhere.delete(entityId);
    editedElsewhere.set(entityId, { by, at: Date.now() });
    if (!recent) hooks.editedElsewhere(entityId, true);
  }

  function applyPresence(entityId: string, base64: string): void {
    withOpenRoom(entityId, (r) => awarenessProtocol.applyAwarenessUpdate(r.awareness, Buffer.from(base64, 'base64'), RELAYED));
  }

  /** Runs `act` on the entity's room once loaded, if this instance has it open (a bad message from another instance changes nothing). */
  function withOpenRoom(entityId: string, act: (room: R) => void): void {
    void hooks
      .roomOf(entityId)
      ?.then((room) => room && !room.closed && act(room))
      .catch(() => {});
  }

  /** A new instance was heard of (and is in `peers`, so writes from now on are announced). */
  async function welcome(): Promise<void> {
    await hooks.writesDone().catch(() => {});
    publish(`w ${instance}`);
  }

  /** Reads every open doc whole (and, with `askPresence`, asks the others who is on each). */
  async function catchUpAll({ askPresence = false } = {}): Promise<void> {
    try {
      const rooms = await hooks.openRooms();
      if (askPresence) for (const room of rooms) publish(`q ${instance} ${room.entityId}`);
      await catchUpEntities(rooms.map((r) => r.entityId));
    } catch (err) {
      console.error(`collab relay: could not catch up: ${failureOf(err)}`);
    }
  }

  /**
   * Tells the other instances about these clients' presence in the room (their current states;
   * removed ones as removed). As many clients as fit go in one notification: the answer to a
   * `q` for a class on one page takes several.
   */
  function shareAwareness(room: R, clientIds: number[]): void {
    if (clientIds.length === 0 || peers.size === 0) return;
    const update = Buffer.from(awarenessProtocol.encodeAwarenessUpdate(room.awareness, clientIds)).toString('base64');
    const payload = `a ${instance} ${room.entityId} ${update}`;
    if (payload.length <= MAX_PAYLOAD) return publish(payload);
    if (clientIds.length === 1) return; // over MAX_PRESENCE_STATE_CHARS: not from this server
    const half = clientIds.length >> 1;
    shareAwareness(room, clientIds.slice(0, half));
    shareAwareness(room, clientIds.slice(half));
  }

  const listening = notifications.listen(RELAY_CHANNEL, onNotify, () => {
    publish(`h ${instance}`);
    void catchUpAll(); // (re)connected: anything announced while the connection was down was missed
  });
  const heartbeat = setInterval(() => {
    publish(`h ${instance}`);
    for (const [name, heard] of peers) if (Date.now() - heard > PEER_EXPIRY_MS) peers.delete(name);
  }, HEARTBEAT_MS);
  heartbeat.unref();
  const forgetEdits = setInterval(() => {
    const cutoff = Date.now() - EDITED_ELSEWHERE_MS;
    for (const [entityId, { at }] of editedElsewhere) {
      if (at > cutoff) break; // oldest first
      editedElsewhere.delete(entityId);
      hooks.editedElsewhere(entityId, false);
    }
  }, EDITED_ELSEWHERE_MS / 4);
  forgetEdits.unref();
  // Without it this instance still works alone; it hears nothing from the others.
  const ready = listening.then(
    () => undefined,
    (err: Error) => console.error(`collab relay: could not listen, so edits made through other instances will not show here: ${failureOf(err)}`),
  );

  return {
    /** The name to announce logged rows with, while another instance is there to hear them; null otherwise. */
    announceAs(): string | null {
      return peers.size > 0 ? instance : null;
    },
    /** Resolves once other instances' notifications are heard (rooms open after it). */
    ready,
    /**
     * Which instance repairs what merging concurrent changes to a table left uneven, when this
     * instance's client made one of them and `others` the rest: the first by name among them, so
     * that one instance does. 'unknown' when this one is first of those, but another instance
     * before it by name is running: its change may not have arrived yet.
     */
    mergeRepairer(others: string[]): 'this' | 'another' | 'unknown' {
      if (others.some((other) => other < instance)) return 'another';
      for (const peer of peers.keys()) if (peer < instance) return 'unknown';
      return 'this';
    },
    shareAwareness,
    /** A revocation or permission change made through this instance: the others re-check their sockets too. */
    shareAuthChange(change: AuthChange): void {
      if (peers.size) publish(`x ${instance} ${change.kind} ${change.id}`);
    },
    /**
     * This instance's last client of the doc left while other instances' clients are on it:
     * the edits not yet in a revision are theirs to record (automatic revision on leave or idle).
     */
    handOver(entityId: string): void {
      if (!peers.size) return;
      const now = Date.now();
      for (const [id, at] of handedOver) if (now - at >= LEFT_TOGETHER_MS) handedOver.delete(id);
      handedOver.set(entityId, now);
      publish(`e ${instance} ${entityId}`);
    },
    /**
     * The doc was just written whole to its snapshot with edits the log refused: the other
     * instances with it open read it again, or their clients would never get those edits.
     */
    savedWhole(entityId: string): void {
      if (peers.size) publish(`s ${instance} ${entityId}`);
    },
    /** The room was just opened here: the other instances send their clients' presence. */
    roomOpened(entityId: string): void {
      if (peers.size) publish(`q ${instance} ${entityId}`);
    },
    /** Whether another instance announced an edit of the doc in the last EDITED_ELSEWHERE_MS. */
    isEditedElsewhere(entityId: string): boolean {
      return editedElsewhere.has(entityId);
    },
    /**
     * When an edit of the doc came through another instance a moment ago: asks that instance to
     * write its projections now and resolves true once it has (or after PROJECTION_ASK_MS, if it
     * does not answer); false at once otherwise.
     */
    async projectedElsewhere(entityId: string): Promise<boolean> {
      const edited = editedElsewhere.get(entityId);
      if (!edited || Date.now() - edited.at >= EDITED_ELSEWHERE_MS || !peers.has(edited.by)) return false;
      const nonce = randomUUID();
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          asks.delete(nonce);
          resolve();
        };
        const timer = setTimeout(done, PROJECTION_ASK_MS);
        asks.set(nonce, done);
        publish(`p ${instance} ${entityId} ${edited.by} ${nonce}`);
      });
      return true;
    },
    /** Resolves once what other instances announced until now is applied (before reading or replacing a doc's content). */
    settled(): Promise<void> {
      return reading;
    },
    async close(): Promise<void> {
      stopped = true;
      clearInterval(heartbeat);
      clearInterval(forgetEdits);
      for (const done of asks.values()) done();
      await notifications.notify(RELAY_CHANNEL, [`g ${instance}`]).catch(() => {});
      await (await listening.catch(() => null))?.unlisten().catch(() => {});
    },
  };
}
