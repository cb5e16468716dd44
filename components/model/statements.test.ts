import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { changeStatement, latestStatements, wellFormedStatements, withFormChanges, type StatementData } from './statements';

type S = { id: string; predicate: string; targetEntityId: string; qualifiers: { date?: string; role?: string } };

const statement = (id: string, role?: string): S => ({ id, predicate: 'member_of', targetEntityId: `target-${id}`, qualifiers: role ? { role } : {} });

function docWith(...statements: S[]): Y.Doc {
  const doc = new Y.Doc();
  doc.getArray<S>('statements').push(statements);
  return doc;
}

/** A second user's copy of `doc`. */
function copyOf(doc: Y.Doc): Y.Doc {
  const other = new Y.Doc();
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  return other;
}

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
}

const seen = (doc: Y.Doc) => latestStatements(doc.getArray<S>('statements').toArray());

describe('changing a statement', () => {
  it('replaces it in place, as one update', () => {
    const doc = docWith(statement('a'), statement('b'), statement('c'));
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    expect(changeStatement(doc.getArray<S>('statements'), 'b', (s) => ({ ...s, qualifiers: { role: 'chair' } }))).toBe(true);
    expect(seen(doc).map((s) => [s.id, s.qualifiers.role])).toEqual([['a', undefined], ['b', 'chair'], ['c', undefined]]);
    expect(updates).toHaveLength(1);
  });

  it('removes it when the change gives null, and says when it is gone', () => {
    const doc = docWith(statement('a'), statement('b'));
    expect(changeStatement(doc.getArray<S>('statements'), 'a', () => null)).toBe(true);
    expect(seen(doc).map((s) => s.id)).toEqual(['b']);
    expect(changeStatement(doc.getArray<S>('statements'), 'a', (s) => s)).toBe(false);
  });

  it('changed by two people at once: both see the same one version, and the next change leaves a single entry', () => {
    const alice = docWith(statement('a'), statement('b'));
    const bob = copyOf(alice);
    changeStatement(alice.getArray<S>('statements'), 'a', (s) => ({ ...s, qualifiers: { role: 'from Alice' } }));
    changeStatement(bob.getArray<S>('statements'), 'a', (s) => ({ ...s, qualifiers: { role: 'from Bob' } }));
    sync(alice, bob);
    expect(alice.getArray('statements').length).toBe(3); // both versions are in the array
    expect(seen(alice)).toEqual(seen(bob));
    expect(seen(alice).map((s) => s.id)).toEqual(['a', 'b']);
    const winner = seen(alice)[0].qualifiers.role;
    expect(['from Alice', 'from Bob']).toContain(winner);

    // The next change starts from the version everyone sees and clears the other.
    changeStatement(bob.getArray<S>('statements'), 'a', (s) => ({ ...s, qualifiers: { ...s.qualifiers, date: '1923' } }));
    sync(alice, bob);
    expect(alice.getArray<S>('statements').toArray()).toEqual([{ ...statement('a', winner), qualifiers: { role: winner, date: '1923' } }, statement('b')]);
  });

  it('a removal by one and a change by another at once: the changed version stays', () => {
    const alice = docWith(statement('a'));
    const bob = copyOf(alice);
    changeStatement(alice.getArray<S>('statements'), 'a', () => null);
    changeStatement(bob.getArray<S>('statements'), 'a', (s) => ({ ...s, qualifiers: { role: 'kept' } }));
    sync(alice, bob);
    expect(seen(alice)).toEqual([statement('a', 'kept')]);
    expect(seen(bob)).toEqual(seen(alice));
  });
});

describe('latestStatements', () => {
  it('keeps every entry without an id', () => {
    const entries = [{ id: '' }, {}, { id: 'x' }, { id: 'x' }];
    expect(latestStatements(entries)).toEqual([{ id: '' }, {}, { id: 'x' }]);
  });
});

describe('wellFormedStatements', () => {
  it('keeps what is a statement, in shape, and drops the rest (any client can write anything)', () => {
    const [t, u, s] = ['0b4f3c36-5d0e-4a4e-9a57-3c1d2f1e0a01', '0b4f3c36-5d0e-4a4e-9a57-3c1d2f1e0a02', '0b4f3c36-5d0e-4a4e-9a57-3c1d2f1e0a03'];
    const good = { id: 'a', predicate: 'member_of', targetEntityId: t, qualifiers: { role: 'chair', date: '1923' }, citations: [{ sourceId: s, start: 1, end: 5, quote: 'abcd' }] };
    const raw = [
      null,
      5,
      'member_of',
      { id: 'b', predicate: 'not_a_predicate', targetEntityId: t },
      { id: 'c', predicate: 'member_of' },
      { id: 'e', predicate: 'member_of', targetEntityId: '../../etc' }, // not an entity's id
      { id: 'd', predicate: 'advised', targetEntityId: u, qualifiers: 'oops', citations: [null, { sourceId: s, start: 'x', end: 2, quote: 'q' }, { sourceId: '', start: 0, end: 2, quote: 'ok' }, { sourceId: s, start: 0, end: 2, quote: 'ok' }] },
      good,
    ];
    expect(wellFormedStatements(raw)).toEqual([
      { id: 'd', predicate: 'advised', targetEntityId: u, qualifiers: {}, citations: [{ sourceId: s, start: 0, end: 2, quote: 'ok' }] },
      good,
    ]);
    expect(wellFormedStatements({ not: 'an array' })).toEqual([]);
  });

  it('latestStatements takes entries of any shape without failing', () => {
    expect(latestStatements([null, undefined, { id: 'x' }, { id: 'x', n: 2 }] as { id?: unknown }[])).toEqual([null, undefined, { id: 'x', n: 2 }]);
  });
});

describe('withFormChanges', () => {
  const current: StatementData = { id: 's1', predicate: 'participant', targetEntityId: 't', qualifiers: { date: '1922', role: 'observer' }, citations: [] };
  it('takes what the form changed and keeps what others changed while it was open', () => {
    // Opened when the role was "delegate"; someone made it "observer" since; the form changed only the date.
    const base = { predicate: 'participant' as const, qualifiers: { date: '1921', role: 'delegate' } };
    expect(withFormChanges(current, base, { predicate: 'participant', qualifiers: { date: '1922-04', role: 'delegate' } })).toEqual({ ...current, qualifiers: { date: '1922-04', role: 'observer' } });
  });
  it('clears what the form cleared, and changes the kind when the form did', () => {
    const base = { predicate: 'participant' as const, qualifiers: { date: '1922', role: 'observer' } };
    expect(withFormChanges(current, base, { predicate: 'part_of', qualifiers: { date: '1922' } })).toEqual({ ...current, predicate: 'part_of', qualifiers: { date: '1922' } });
  });
});

