import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fieldSource, fieldValue, movedIndex, readFields, setText, textChange, toFieldText, writeField } from './field-text';

/** Two replicas of one doc; `sync` exchanges what each has that the other lacks. */
function replicas(): [Y.Doc, Y.Doc, () => void] {
  const a = new Y.Doc();
  const b = new Y.Doc();
  const sync = () => {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
  };
  return [a, b, sync];
}

describe('infobox fields as text', () => {
  it('reads texts trimmed, list fields split at semicolons, empty ones left out; plain values of older docs as they are', () => {
    const doc = new Y.Doc();
    const fields = doc.getMap('fields');
    fields.set('title', toFieldText('  Treaty of Rapallo '));
    fields.set('aliases', toFieldText(['Rapallo Treaty', 'Rapallo']));
    fields.set('signatories', new Y.Text('Germany;; Soviet Russia ; '));
    fields.set('place', new Y.Text('   '));
    fields.set('status', 'in force'); // an older doc's plain values
    fields.set('roles', ['a', 'b']);
    expect(readFields(fields)).toEqual({ title: 'Treaty of Rapallo', aliases: ['Rapallo Treaty', 'Rapallo'], signatories: ['Germany', 'Soviet Russia'], status: 'in force', roles: ['a', 'b'] });
    expect(fieldSource(fields.get('aliases'))).toBe('Rapallo Treaty; Rapallo');
    expect(fieldSource(['x', 'y'])).toBe('x; y');
    expect(fieldValue('aliases', new Y.Text(' ; '))).toBeUndefined();
  });

  it('two people typing in one field at once both keep what they typed', () => {
    const [a, b, sync] = replicas();
    a.getMap('fields').set('place', toFieldText('Berlin'));
    sync();
    const inA = a.getMap('fields').get('place') as Y.Text;
    const inB = b.getMap('fields').get('place') as Y.Text;
    setText(inA, 'Berlin city'); // typed at the end
    setText(inB, 'Old Berlin'); // typed at the start, meanwhile
    sync();
    expect(inA.toString()).toBe('Old Berlin city');
    expect(inB.toString()).toBe('Old Berlin city');
  });

  it('changes only what differs, so text others wrote keeps its author, and never splits an emoji', () => {
    expect(textChange('Berlin', 'Berlin city')).toEqual({ at: 6, removed: 0, inserted: ' city' });
    expect(textChange('Genoa, Italy', 'Genova, Italy')).toEqual({ at: 4, removed: 0, inserted: 'v' });
    expect(textChange('Genoa', 'Rapallo')).toEqual({ at: 0, removed: 5, inserted: 'Rapallo' });
    expect(textChange('abc', 'abc')).toEqual({ at: 3, removed: 0, inserted: '' });
    // 😀 and 😃 share their first UTF-16 unit: the change takes the whole character.
    expect(textChange('a😀b', 'a😃b')).toEqual({ at: 1, removed: 2, inserted: '😃' });
    const doc = new Y.Doc();
    doc.clientID = 1;
    const text = doc.getText('t');
    text.insert(0, 'Treaty of Rapallo');
    doc.clientID = 2;
    setText(text, 'Treaty of Rapallo (1922)');
    const clients: number[] = [];
    for (let item = text._start; item; item = item.right) if (!item.deleted) clients.push(item.id.client);
    expect(clients).toEqual([1, 2]);
  });

  it('moves a caret with the text it is in when the text changes around it', () => {
    expect(movedIndex(6, 'Berlin', 'Old Berlin')).toBe(10); // typed before it
    expect(movedIndex(3, 'Berlin', 'Berlin city')).toBe(3); // typed after it
    expect(movedIndex(8, 'Old Berlin', 'Berlin')).toBe(4); // deleted before it
    expect(movedIndex(2, 'Berlin', 'Paris')).toBe(5); // its text replaced: after what replaced it
  });

  it("undoing one person's edits of a field takes away their characters only: the field, an older value and others' typing stay", () => {
    const [a, b, sync] = replicas();
    const [fieldsA, fieldsB] = [a.getMap('fields'), b.getMap('fields')];
    fieldsA.set('place', 'Genoa'); // an older doc's plain value
    sync();
    const mine = { field: 'place' };
    const undo = new Y.UndoManager(fieldsA, { trackedOrigins: new Set([mine]) });
    writeField(fieldsA, 'place', 'Genoa, Italy', mine);
    sync();
    writeField(fieldsB, 'place', 'Genoa, Italy (port)');
    sync();
    undo.undo();
    sync();
    expect(fieldSource(fieldsA.get('place'))).toBe('Genoa (port)');
    expect(fieldSource(fieldsB.get('place'))).toBe('Genoa (port)');
  });
});
