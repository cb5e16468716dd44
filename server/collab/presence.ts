import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { userColor } from '@/components/model/user-color';

/** Who a connection's presence shows: the name and colour everyone else's editor draws its caret with. */
export type PresenceUser = { name: string; color: string };

/** A signed-in user's presence, as the editor sets it for itself; none for an anonymous reader. */
export function presenceOf(user: { username: string } | null): PresenceUser | null {
  return user ? { name: user.username, color: userColor(user.username) } : null;
}

/** The longest presence state relayed (JSON characters): a name, a colour and a caret take some hundreds. */
export const MAX_PRESENCE_STATE_CHARS = 4096;

/**
 * A client's awareness update (y-protocols' encoding: a count, then client id, clock and JSON
 * state for each) as the others get it. Any client can write anything there, and every editor
 * on the page draws it, so the server says who is who:
 * - `user` is the connection's own (`who`): no one appears under another's name, and the colour
 *   is one the caret extension draws (anything else it makes transparent; as CSS it could fetch
 *   from elsewhere);
 * - `cursor` is kept only as two relative positions (anchor and head): anything else breaks the
 *   drawing of carets in every other editor on the page;
 * - `field` (the infobox field the person is typing in) is kept only as a field's key;
 * - nothing else is relayed, nor a state over MAX_PRESENCE_STATE_CHARS;
 * - an anonymous reader (`who` null) shows no presence, and a client id another person's
 *   connection holds is left alone (`mayUse` false): no one moves or removes someone else's caret.
 * A removal (null state) of a client id the connection may use goes through. Null when nothing
 * is left; a malformed update throws.
 */
export function vetPresence(update: Uint8Array, who: PresenceUser | null, mayUse: (clientId: number) => boolean): Uint8Array | null {
  const decoder = decoding.createDecoder(update);
  const kept: { clientId: number; clock: number; state: string }[] = [];
  const count = decoding.readVarUint(decoder);
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const json = decoding.readVarString(decoder);
    if (json.length > MAX_PRESENCE_STATE_CHARS || !mayUse(clientId)) continue; // (not even parsed)
    const state: unknown = JSON.parse(json);
    if (state === null) {
      kept.push({ clientId, clock, state: 'null' });
      continue;
    }
    if (!who || typeof state !== 'object') continue;
    const cursor = caret((state as { cursor?: unknown }).cursor);
    const field = (state as { field?: unknown }).field;
    kept.push({ clientId, clock, state: JSON.stringify({ user: who, ...(cursor ? { cursor } : {}), ...(isFieldKey(field) ? { field } : {}) }) });
  }
  if (kept.length === 0) return null;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, kept.length);
  for (const { clientId, clock, state } of kept) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, state);
  }
  return encoding.toUint8Array(encoder);
}

/** An infobox field's key ("place", "signatories"): nothing else is drawn beside a field. */
const isFieldKey = (v: unknown): v is string => typeof v === 'string' && /^[a-z][a-zA-Z_]{0,39}$/.test(v);

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

type Id = { client: number; clock: number };
type RelativePosition = { type?: Id; tname?: string; item?: Id; assoc?: number };

/** A Yjs ID as JSON (`{ client, clock }`), or null. */
function id(v: unknown): Id | null {
  if (typeof v !== 'object' || v === null) return null;
  const { client, clock } = v as Record<string, unknown>;
  return isCount(client) && isCount(clock) ? { client, clock } : null;
}

/** One part of a relative position: undefined when absent, null when not of its kind. */
const part = <T>(value: unknown, read: (v: unknown) => T | null): T | null | undefined => (value == null ? undefined : read(value));

/**
 * A Yjs relative position as JSON (`Y.relativePositionToJSON`), with its parts alone: each
 * absent, null or of its kind, and at least one of item, type and root name there (Yjs throws
 * on one with none). Null when it is not one.
 */
function relativePosition(v: unknown): RelativePosition | null {
  if (typeof v !== 'object' || v === null) return null;
  const { type, tname, item, assoc } = v as Record<string, unknown>;
  const position = {
    type: part(type, id),
    tname: part(tname, (t) => (typeof t === 'string' ? t : null)),
    item: part(item, id),
    assoc: part(assoc, (a) => (Number.isSafeInteger(a) ? (a as number) : null)),
  };
  if (Object.values(position).includes(null)) return null;
  return position.type || position.item || position.tname !== undefined ? (position as RelativePosition) : null;
}

/** A caret as y-prosemirror sends it (`{ anchor, head }`, two relative positions), or null. */
function caret(v: unknown): { anchor: RelativePosition; head: RelativePosition } | null {
  if (typeof v !== 'object' || v === null) return null;
  const anchor = relativePosition((v as { anchor?: unknown }).anchor);
  const head = relativePosition((v as { head?: unknown }).head);
  return anchor && head ? { anchor, head } : null;
}
