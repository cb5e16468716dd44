import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { MAX_PRESENCE_STATE_CHARS, presenceOf, vetPresence } from './presence';
import { userColor } from '@/components/model/user-color';

/** A client's awareness update holding `state`, as its y-websocket provider sends it. */
function updateOf(state: Record<string, unknown> | null): { update: Uint8Array; clientId: number } {
  const awareness = new Awareness(new Y.Doc());
  awareness.setLocalState(state);
  return { update: encodeAwarenessUpdate(awareness, [awareness.clientID]), clientId: awareness.clientID };
}

/** What another client's awareness holds after receiving `update` (null: it was not sent). */
function received(update: Uint8Array | null): Map<number, Record<string, unknown>> {
  const awareness = new Awareness(new Y.Doc());
  awareness.setLocalState(null);
  if (update) applyAwarenessUpdate(awareness, update, 'server');
  return new Map([...awareness.getStates()].filter(([id]) => id !== awareness.clientID));
}

const alice = presenceOf({ username: 'alice' });
// A caret as y-prosemirror makes it: relative positions in the body, one at the start of the
// fragment, one after a character.
const body = new Y.Doc().getXmlFragment('body');
const text = new Y.XmlText('Rapallo');
body.insert(0, [text]);
const cursor = {
  anchor: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(body, 0)),
  head: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, 3, -1)),
} as { anchor: Record<string, unknown>; head: Record<string, unknown> };
const anyone = () => true;

describe('presence as the server relays it', () => {
  it('keeps the infobox field someone is typing in, given as a field key and nothing else', () => {
    const { update, clientId } = updateOf({ user: { name: 'x', color: '#000000' }, field: 'place' });
    expect(received(vetPresence(update, alice, anyone)).get(clientId)).toEqual({ user: alice, field: 'place' });
    for (const field of ['<img src=x>', 'place; color: red', 'x'.repeat(41), 42, { key: 'place' }]) {
      const junk = updateOf({ user: { name: 'x', color: '#000000' }, cursor, field });
      expect(received(vetPresence(junk.update, alice, anyone)).get(junk.clientId)).toEqual({ user: alice, cursor });
    }
  });

  it("shows the connection's own user, whatever name and colour the client claims, and keeps a well-formed caret", () => {
    const { update, clientId } = updateOf({ user: { name: 'The teacher', color: 'red; background-image: url(https://evil.example/t.png)' }, cursor, extra: 'x' });
    const states = received(vetPresence(update, alice, anyone));
    expect(states.get(clientId)).toEqual({ user: { name: 'alice', color: userColor('alice') }, cursor });
  });

  it('passes on a caret with its parts alone: no other keys, nulls left out', () => {
    const padded = { anchor: { ...cursor.anchor, type: null, note: 'x'.repeat(100) }, head: { ...cursor.head, tname: null, extra: { deep: true } } };
    const { update, clientId } = updateOf({ user: { name: 'alice' }, cursor: padded });
    expect(received(vetPresence(update, alice, anyone)).get(clientId)).toEqual({ user: { name: 'alice', color: userColor('alice') }, cursor });
  });

  it('drops a caret that is not two relative positions (it would break the carets of every other editor), not the person', () => {
    for (const bad of [{}, { anchor: {}, head: {} }, { anchor: cursor.anchor }, 'here', 12, { anchor: null, head: null }, { anchor: { item: { client: 'x', clock: 1 } }, head: cursor.head }, { anchor: cursor.anchor, head: { assoc: 0.5 } }]) {
      const { update, clientId } = updateOf({ user: { name: 'alice' }, cursor: bad });
      expect(received(vetPresence(update, alice, anyone)).get(clientId), JSON.stringify(bad)).toEqual({ user: { name: 'alice', color: userColor('alice') } });
    }
  });

  it('relays no presence for an anonymous reader, nor an oversize state, nor for a client id held by someone else', () => {
    const { update } = updateOf({ user: { name: 'Guest' } });
    expect(vetPresence(update, null, anyone)).toBeNull();
    const big = updateOf({ user: { name: 'alice' }, note: 'x'.repeat(MAX_PRESENCE_STATE_CHARS) });
    expect(vetPresence(big.update, alice, anyone)).toBeNull();
    expect(vetPresence(update, alice, () => false)).toBeNull();
  });

  it("passes on a client's leaving (a null state) of an id it may use, and throws on a truncated update", () => {
    const awareness = new Awareness(new Y.Doc());
    awareness.setLocalState({ user: { name: 'alice' } });
    awareness.setLocalState(null);
    const left = encodeAwarenessUpdate(awareness, [awareness.clientID]);
    expect(vetPresence(left, null, anyone)).toEqual(left);
    expect(vetPresence(left, alice, () => false)).toBeNull();
    const { update } = updateOf({ user: { name: 'alice' } });
    expect(() => vetPresence(update.slice(0, update.length - 3), alice, anyone)).toThrow();
  });
});
