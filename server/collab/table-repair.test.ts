import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { bodySchema } from '@/components/editor/schema/extensions';
import { evenOutTables, loadTableMaps, mayBeUneven, reshapedTables, setsSpanTooFar } from './table-repair';
import { editAsNewClient } from '@/server/docs/entity-doc';

const cell = (text = '', attrs: object = {}) => ({ type: 'tableCell', attrs, content: [{ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] }] });
const row = (...cells: object[]) => ({ type: 'tableRow', content: cells });
/** An empty cell as an editor makes it, in the doc. */
function yCell(): Y.XmlElement {
  const c = new Y.XmlElement('tableCell');
  c.insert(0, [new Y.XmlElement('paragraph')]);
  return c;
}

/** A doc whose body is a paragraph then a table of `rows`. */
function docWith(rows: object[]): { doc: Y.Doc; table: Y.XmlElement } {
  const doc = new Y.Doc();
  const body = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Signatories' }] }, { type: 'table', content: rows }] };
  prosemirrorJSONToYXmlFragment(bodySchema(), body, doc.getXmlFragment('body'));
  return { doc, table: doc.getXmlFragment('body').get(1) as Y.XmlElement };
}

/** The tables `edit` reshaped, as the server sees them after a transaction. */
function reshapedBy(doc: Y.Doc, edit: () => void): Y.XmlElement[] {
  let tables: Y.XmlElement[] = [];
  const listen = (transaction: Y.Transaction) => (tables = reshapedTables(transaction));
  doc.on('afterTransaction', listen);
  doc.transact(edit);
  doc.off('afterTransaction', listen);
  return tables;
}

describe('tables evened out on the server', () => {
  beforeAll(loadTableMaps);

  it('knows a change of rows or cells from typing in a cell', () => {
    const { doc, table } = docWith([row(cell('USSR'), cell()), row(cell(), cell())]);
    const firstCellText = ((table.get(0) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlElement;
    expect(reshapedBy(doc, () => (firstCellText.get(0) as Y.XmlText).insert(4, ' and China'))).toEqual([]);
    expect(reshapedBy(doc, () => (table.get(1) as Y.XmlElement).delete(1, 1))).toEqual([table]);
    expect(reshapedBy(doc, () => doc.getXmlFragment('body').delete(0, 1))).toEqual([]);
  });

  it('knows a table made in the transaction: a pasted one may be uneven', () => {
    const { doc, table } = docWith([row(cell('USSR'), cell())]);
    const body = doc.getXmlFragment('body');
    const pasted = new Y.XmlElement('table');
    const pastedRow = new Y.XmlElement('tableRow');
    pastedRow.insert(0, [new Y.XmlElement('tableCell')]);
    pasted.insert(0, [pastedRow]);
    expect(reshapedBy(doc, () => body.insert(0, [pasted]))).toEqual([pasted]);
    // Made and removed again in one transaction: none; one row more in the old table and a new one: both.
    const madeAndRemoved = () => {
      body.insert(0, [new Y.XmlElement('table')]);
      body.delete(0, 1);
    };
    expect(reshapedBy(doc, madeAndRemoved)).toEqual([]);
    const another = new Y.XmlElement('table');
    const rowAndTable = () => {
      table.insert(1, [new Y.XmlElement('tableRow')]);
      body.insert(0, [another]);
    };
    expect(reshapedBy(doc, rowAndTable)).toEqual([table, another]);
    // As the server has the doc: loaded from updates, its body never asked for by kind (a bare type).
    const server = new Y.Doc();
    Y.applyUpdate(server, Y.encodeStateAsUpdate(doc));
    const third = new Y.XmlElement('table');
    body.insert(0, [third]);
    const made = reshapedBy(server, () => Y.applyUpdate(server, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(server))));
    expect(made.map((t) => t.toString())).toEqual([third.toString()]);
  });

  it('converts only tables that may be uneven; adds the missing cells, keeping every word', () => {
    // A row one cell short, the first or the second: the cell is added at its end, its own cells stay in their columns.
    for (const r of [1, 0]) {
      const { doc, table } = docWith([row(cell('USSR'), cell('1950')), row(cell('China'), cell('1950'))]);
      const repair = () => editAsNewClient(doc, () => evenOutTables(doc)).length > 0; // as the server makes it
      expect(mayBeUneven(table)).toBe(false);
      expect(repair()).toBe(false);
      const shortRow = table.get(r) as Y.XmlElement;
      shortRow.delete(1, 1);
      expect(mayBeUneven(table)).toBe(true);
      expect(repair()).toBe(true);
      expect(table.toArray().map((x) => (x as Y.XmlElement).length)).toEqual([2, 2]);
      expect(shortRow.get(0).toString()).toContain(r === 0 ? 'USSR' : 'China');
      expect(shortRow.get(1).toString()).not.toMatch(/USSR|China/);
      expect(table.toString()).toContain(r === 0 ? 'China' : 'USSR');
      expect(repair()).toBe(false);
    }
  });

  it('takes back the empty cells of earlier repairs that no row needs: a column added and undone while a row was added', () => {
    const { doc, table } = docWith([row(cell('USSR'), cell('1950')), row(cell('China'), cell('1950'))]);
    const rows = () => table.toArray() as Y.XmlElement[];
    const widths = () => rows().map((r) => r.length);
    const repair = () => editAsNewClient(doc, () => evenOutTables(doc)).length > 0;
    // Ben's column and Ann's row of the old width, merged: the server fills Ann's row.
    doc.transact(() => rows().forEach((r) => r.push([yCell()])));
    table.insert(2, [new Y.XmlElement('tableRow')]);
    rows()[2].insert(0, [yCell(), yCell()]);
    expect(repair()).toBe(true);
    expect(widths()).toEqual([3, 3, 3]);
    // Ben undoes his column: the cell the repair added to Ann's row goes too, rather than the column coming back empty.
    doc.transact(() => rows().slice(0, 2).forEach((r) => r.delete(2, 1)));
    expect(repair()).toBe(true);
    expect(widths()).toEqual([2, 2, 2]);
    expect(table.toString()).toContain('USSR');
    expect(repair()).toBe(false);
    // An even table is left as it is, even when its one row ends in a repair's empty cell.
    rows()[0].delete(1, 1);
    expect(repair()).toBe(true);
    doc.transact(() => table.delete(1, 2));
    expect(repair()).toBe(false);
    expect(widths()).toEqual([2]);
  });

  it('a merge repaired twice (two servers at once) loses the second cell at the next repair; a repair cell typed in is kept', () => {
    const { doc, table } = docWith([row(cell('USSR'), cell('1950')), row(cell('China'), cell('1950'))]);
    const rows = () => table.toArray() as Y.XmlElement[];
    const widths = () => rows().map((r) => r.length);
    rows()[1].delete(1, 1); // uneven, as a merge leaves it
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    for (const d of [doc, other]) editAsNewClient(d, () => evenOutTables(d));
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    expect(widths()).toEqual([2, 3]);
    editAsNewClient(doc, () => evenOutTables(doc));
    expect(widths()).toEqual([2, 2]);
    // Now someone types in the repair's cell of a row that is too long: it is theirs, and the other rows are filled instead.
    rows()[0].delete(1, 1);
    ((rows()[1].get(1) as Y.XmlElement).get(0) as Y.XmlElement).insert(0, [new Y.XmlText('1950')]);
    editAsNewClient(doc, () => evenOutTables(doc));
    expect(widths()).toEqual([2, 2]);
    expect(table.toString()).toContain('1950');
  });

  it('evens out a table with merged cells in the doc: the missing cell at the end of the short row, a repair taken back, an overlapping span cut', () => {
    const widths = (table: Y.XmlElement) => table.toArray().map((r) => (r as Y.XmlElement).toArray().reduce((n, c) => n + Number((c as Y.XmlElement).getAttribute('colspan') ?? 1), 0));
    const texts = (r: Y.XmlElement) => r.toArray().map((c) => c.toString().replace(/<[^>]+>/g, ''));
    // A merged cell over two columns in the last row; a row one cell short after a merge, the
    // first or the second (prosemirror-tables would put a first row's cell at its start).
    for (const r of [0, 1]) {
      const { doc, table } = docWith([row(cell('USSR'), cell('1950')), row(cell('China'), cell('1950')), row(cell('Signed in Moscow', { colspan: 2 }))]);
      (table.get(r) as Y.XmlElement).delete(1, 1);
      expect(editAsNewClient(doc, () => evenOutTables(doc)).length).toBe(1);
      expect(widths(table)).toEqual([2, 2, 2]);
      expect(texts(table.get(r) as Y.XmlElement)).toEqual([r === 0 ? 'USSR' : 'China', '']);
    }
    // A column added and undone while a row was added, in a table with a merged cell: the repair's cell is taken back too.
    {
      const { doc, table } = docWith([row(cell('Signed in Moscow', { colspan: 2 })), row(cell('USSR'), cell('1950'))]);
      const rows = () => table.toArray() as Y.XmlElement[];
      doc.transact(() => rows().forEach((r) => r.push([yCell()])));
      table.insert(2, [new Y.XmlElement('tableRow')]);
      rows()[2].insert(0, [yCell(), yCell()]);
      editAsNewClient(doc, () => evenOutTables(doc));
      expect(widths(table)).toEqual([3, 3, 3]);
      doc.transact(() => rows().slice(0, 2).forEach((r) => r.delete(r.length - 1, 1)));
      editAsNewClient(doc, () => evenOutTables(doc));
      expect(widths(table)).toEqual([2, 2, 2]);
    }
    // A cell spanning two columns where a cell of the row above reaches down: its span is cut to one, and the table is even.
    const { doc, table } = docWith([row(cell('USSR'), cell('1950', { rowspan: 2 })), row(cell('China', { colspan: 2 }))]);
    expect(mayBeUneven(table)).toBe(true);
    editAsNewClient(doc, () => evenOutTables(doc));
    expect(((table.get(1) as Y.XmlElement).get(0) as Y.XmlElement).getAttribute('colspan')).toBe(1);
    expect(table.toString()).toMatch(/USSR.*1950.*China/);
    expect(editAsNewClient(doc, () => evenOutTables(doc))).toEqual([]); // even now
    // A span that could not be mapped (a huge one): left as it is, the server carries on.
    const huge = docWith([row(cell('USSR', { colspan: 10_000_000 })), row(cell('China'))]);
    expect(evenOutTables(huge.doc)).toBe(false);
  });

  it('tells an update that makes a cell span more than 1000 columns or rows, wherever the update names the attribute', () => {
    const { doc, table } = docWith([row(cell('USSR'), cell('1950'))]);
    const server = new Y.Doc();
    Y.applyUpdate(server, Y.encodeStateAsUpdate(doc));
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    const first = (table.get(0) as Y.XmlElement).get(0) as Y.XmlElement;
    const check = (edit: () => void) => {
      updates.length = 0;
      edit();
      return setsSpanTooFar(server, Y.decodeUpdate(Y.mergeUpdates(updates)).structs);
    };
    expect(check(() => (first.get(0) as Y.XmlElement).insert(0, [new Y.XmlText('1000 and more')]))).toBe(false);
    expect(check(() => first.setAttribute('colwidth', [5000] as never))).toBe(false); // a width in pixels
    expect(check(() => first.setAttribute('rowspan', 1000 as never))).toBe(false);
    expect(check(() => first.setAttribute('colspan', 1001 as never))).toBe(true); // named in the update
    // Replacing a value the server has: the update names only the value replaced.
    Y.applyUpdate(server, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(server)));
    expect(check(() => first.setAttribute('rowspan', '5000' as never))).toBe(true);
    // Replacing one the update itself brings (two changes sent at once).
    expect(
      check(() => {
        first.setAttribute('align', 'left' as never);
        first.setAttribute('align', 5000 as never);
      }),
    ).toBe(false);
    expect(
      check(() => {
        first.setAttribute('colspan', 2 as never);
        first.setAttribute('colspan', 2000 as never);
      }),
    ).toBe(true);
  });

  it('leaves a table with a merged cell as it is when its rows are even', () => {
    const { doc, table } = docWith([row(cell('Treaty', { colspan: 2 })), row(cell('USSR'), cell('China'))]);
    expect(mayBeUneven(table)).toBe(true); // a span: only the table map can tell
    expect(evenOutTables(doc)).toBe(false);
  });
});
