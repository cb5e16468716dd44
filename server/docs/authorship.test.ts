import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { authorshipClients, docAuthorship } from './authorship';
import { createEntityDoc } from './create-entity-doc';

/** A second editor on a copy of `doc`; its edits are merged back into `doc`. */
function editAs(doc: Y.Doc, clientID: number, edit: (copy: Y.Doc) => void): void {
  const copy = new Y.Doc();
  copy.clientID = clientID;
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const before = Y.encodeStateVector(copy);
  edit(copy);
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(copy, before));
}

const text = (doc: Y.Doc, ...path: number[]) => path.reduce<Y.XmlFragment | Y.XmlElement | Y.XmlText>((node, i) => (node as Y.XmlElement).get(i) as Y.XmlElement, doc.getXmlFragment('body')) as unknown as Y.XmlText;

describe('docAuthorship', () => {
  const doc = createEntityDoc({
    fields: { title: 'Treaty of Rapallo' },
    statements: [],
    body: {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Origins' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'Signed in 1922 at ' }, { type: 'entityLink', attrs: { entityId: 'e1', label: 'Rapallo' } }, { type: 'hardBreak' }, { type: 'text', text: 'by two states.' }] },
        { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Germany' }] }] }] },
        { type: 'blockquote', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'A quote.' }] }] },
      ],
    } as never,
  });
  const seed = doc.clientID;
  editAs(doc, 1001, (copy) => {
    text(copy, 1, 0).insert(0, 'It was ');
    text(copy, 2, 0, 0, 0).insert(7, ' and Russia');
    copy.getMap('fields').set('place', 'Rapallo');
    copy.getArray('statements').push([{ id: 's1', predicate: 'part_of', targetEntityId: '0b4f3c36-5d0e-4a4e-9a57-3c1d2f1e0a02', qualifiers: {}, citations: [] }]);
  });
  editAs(doc, 2002, (copy) => {
    text(copy, 3, 0, 0).delete(0, 2); // "A quote." → "quote."
    text(copy, 3, 0, 0).insert(5, ', verbatim'); // "quote, verbatim."
    (copy.getMap('fields').get('title') as Y.Text).insert('Treaty of Rapallo'.length, ' (1922)');
  });

  const result = docAuthorship(doc);

  it('splits each paragraph into runs of one client, inline nodes included, deleted text left out', () => {
    expect(result.blocks.map((b) => [b.kind, b.level, b.within, b.runs.map((r) => [r.client === seed ? 'seed' : r.client, r.text])])).toEqual([
      ['heading', 2, null, [['seed', 'Origins']]],
      ['paragraph', 0, null, [[1001, 'It was '], ['seed', 'Signed in 1922 at Rapallo\nby two states.']]],
      ['paragraph', 0, 'list', [['seed', 'Germany'], [1001, ' and Russia']]],
      ['paragraph', 0, 'quote', [['seed', 'quote'], [2002, ', verbatim'], ['seed', '.']]],
    ]);
  });

  it('names who wrote each stretch of each field and who added each relation, and every client involved', () => {
    const runs = (f: (typeof result.fields)[number]) => f.runs.map((r) => [r.client === seed ? 'seed' : r.client, r.text]);
    expect(result.fields.map((f) => [f.key, f.value, runs(f)])).toEqual([
      ['title', 'Treaty of Rapallo (1922)', [['seed', 'Treaty of Rapallo'], [2002, ' (1922)']]], // typed into: each stretch by its client
      ['place', 'Rapallo', [[1001, 'Rapallo']]], // a plain value (an older doc's): set whole
    ]);
    expect(result.statements.map((s) => [s.statement.id, s.client])).toEqual([['s1', 1001]]);
    expect(authorshipClients(result).sort()).toEqual([1001, 2002, seed].sort());
  });
});
