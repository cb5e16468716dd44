import * as Y from 'yjs';
import { EditorState } from '@tiptap/pm/state';
import { fixTables } from '@tiptap/pm/tables';
import { updateYFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { bodySchema } from '@/components/editor/schema/extensions';
import { BODY } from '@/server/docs/entity-doc';

const TABLE_PARTS = new Set(['table', 'tableRow', 'tableCell', 'tableHeader']);

/**
 * The tables whose shape a transaction changed: a row or cell added or removed, a cell's span
 * changed; and the tables it made (a pasted table may be uneven). Typing in a cell changes only
 * the cell's text: none.
 */
export function reshapedTables(transaction: Y.Transaction): Y.XmlElement[] {
  const tables: Y.XmlElement[] = [];
  // The body, which a doc that only ever received it in updates has as a bare AbstractType.
  const body = transaction.doc.share.get(BODY);
  let blocksAdded = false;
  for (const [type, keys] of transaction.changed) {
    // Children added or removed (null), not only attributes: a table may have come with them.
    if (keys.has(null) && (type === body || type instanceof Y.XmlElement)) blocksAdded = true;
    if (!(type instanceof Y.XmlElement && TABLE_PARTS.has(type.nodeName))) continue;
    let table: unknown = type;
    while (table instanceof Y.XmlElement && table.nodeName !== 'table') table = table.parent;
    if (table instanceof Y.XmlElement && !tables.includes(table)) tables.push(table);
  }
  return blocksAdded ? [...tables, ...newTables(transaction)] : tables;
}

/**
 * The tables a transaction made. Yjs lists a type made in a transaction nowhere but among the
 * structs it added: for each client, those from its clock before the transaction on. Only
 * asked when an element's children changed (typing changes a text's: none is).
 */
function newTables(transaction: Y.Transaction): Y.XmlElement[] {
  const tables: Y.XmlElement[] = [];
  for (const [client, after] of transaction.afterState) {
    const before = transaction.beforeState.get(client) ?? 0;
    if (after <= before) continue;
    const structs = transaction.doc.store.clients.get(client) ?? [];
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const struct = structs[i];
      if (!(struct instanceof Y.Item) || struct.deleted || !(struct.content instanceof Y.ContentType)) continue;
      const type = struct.content.type;
      if (type instanceof Y.XmlElement && type.nodeName === 'table') tables.push(type);
    }
  }
  return tables;
}

/** A cell that spans more than one row or column (or is no element): only ProseMirror's table map can tell a table's shape with it. */
const spans = (cell: unknown) => !(cell instanceof Y.XmlElement) || Number(cell.getAttribute('colspan') ?? 1) > 1 || Number(cell.getAttribute('rowspan') ?? 1) > 1;

/**
 * Whether a table may have rows of unequal width: rows of different cell counts, or a cell
 * spanning more than one row or column.
 */
export function mayBeUneven(table: Y.XmlElement): boolean {
  if (table._item?.deleted) return false;
  const rows = table.toArray();
  const width = rows[0] instanceof Y.XmlElement ? rows[0].length : 0;
  return rows.some((row) => !(row instanceof Y.XmlElement) || row.length !== width || row.toArray().some(spans));
}

/**
 * The doc's root map of the client ids the server's table repairs were made with (id → true):
 * every instance, now or after a restart, can tell a cell a repair added from a person's.
 */
export const TABLE_REPAIRS = 'tableRepairs';

/** A cell a table repair added that still holds nothing (an empty paragraph). */
function isEmptyRepairCell(cell: unknown, repairs: Y.Map<unknown>): boolean {
  if (!(cell instanceof Y.XmlElement) || !cell._item || !repairs.has(String(cell._item.id.client))) return false;
  return cell.toArray().every((block) => block instanceof Y.XmlElement && block.nodeName === 'paragraph' && block.toArray().every((text) => text instanceof Y.XmlText && text.length === 0));
}

/** Whether a table's shape is its rows' lengths: rows only, and no merged cell. */
function isSimple(table: Y.XmlElement): boolean {
  return table.toArray().every((row) => row instanceof Y.XmlElement && !row.toArray().some(spans));
}

/**
 * Takes back the empty cells that earlier repairs added at the end of rows and that no row needs
 * now, so that the table is only as wide as its widest row without them. Someone who added a
 * column and undid it while another person added a row: the cell the server had added to that
 * row in the new column stayed, and evening out the rest brought the whole column back, empty.
 * Two repairs of one merge (each adding the missing cells) leave a cell too many the same way. A
 * cell taken back twice is taken back once, where a cell added twice is there twice. Even tables
 * are left as they are. For simple tables (`isSimple`). Returns whether any cell was taken back.
 */
function trimRepairCells(rows: Y.XmlElement[], repairs: Y.Map<unknown>): boolean {
  if (new Set(rows.map((row) => row.length)).size < 2) return false; // even: left as it is
  const needed = (row: Y.XmlElement) => {
    let width = row.length;
    while (width > 0 && isEmptyRepairCell(row.get(width - 1), repairs)) width--;
    return width;
  };
  const width = Math.max(0, ...rows.map(needed));
  let trimmed = false;
  for (const row of rows) {
    if (row.length <= width) continue;
    row.delete(width, row.length - width);
    trimmed = true;
  }
  return trimmed;
}

/**
 * Adds empty cells at the end of the rows shorter than the widest, as prosemirror-tables does (a
 * header cell in a row that starts with one). For simple tables (`isSimple`). Returns whether any
 * was added.
 */
function fillShortRows(rows: Y.XmlElement[]): boolean {
  const width = Math.max(0, ...rows.map((row) => row.length));
  let filled = false;
  for (const row of rows) {
    if (row.length >= width) continue;
    const first = row.get(0);
    const kind = first instanceof Y.XmlElement && first.nodeName === 'tableHeader' ? 'tableHeader' : 'tableCell';
    row.push(
      Array.from({ length: width - row.length }, () => {
        const cell = new Y.XmlElement(kind);
        cell.insert(0, [new Y.XmlElement('paragraph')]);
        return cell;
      }),
    );
    filled = true;
  }
  return filled;
}

/**
 * Evens out the body's tables (every row as wide as the widest, as prosemirror-tables does in an
 * editor): the cells missing after two people changed a table at once, one adding a row while
 * the other added a column, or in a pasted table. Editors of a shared doc even out no table
 * (each one's repair of a merge would add the cells again: `sharedTable`), so the server, the
 * one place every client's change goes through, does.
 * - A table without merged cells gets its missing cells at the ends of its short rows, written
 *   into the doc directly; first, empty cells of earlier repairs that no row needs any more are
 *   taken back (`trimRepairCells`).
 * - A table with merged cells is evened out by prosemirror-tables' `fixTables`, the difference
 *   written back by y-prosemirror (which can put a new cell at the start of its row rather than
 *   the end: it compares cells, not positions, and these are often alike).
 * Call inside `doc.transact`, as a client of its own (its id is recorded in TABLE_REPAIRS).
 * Returns whether anything changed.
 */
export function evenOutTables(doc: Y.Doc): boolean {
  const fragment = doc.getXmlFragment(BODY);
  const repairs = doc.getMap(TABLE_REPAIRS);
  let trimmed = false;
  let added = false;
  let merged = false;
  const tables = [...fragment.createTreeWalker((type) => type instanceof Y.XmlElement && type.nodeName === 'table')] as Y.XmlElement[];
  for (const table of tables) {
    if (!isSimple(table)) {
      merged = true;
      continue;
    }
    const rows = table.toArray() as Y.XmlElement[];
    if (trimRepairCells(rows, repairs)) trimmed = true;
    if (fillShortRows(rows)) added = true; // the same rows: trimming takes cells, never rows
  }
  if (merged) {
    try {
      const schema = bodySchema();
      const repair = fixTables(EditorState.create({ schema, doc: yXmlFragmentToProseMirrorRootNode(fragment, schema) }));
      if (repair) {
        updateYFragment(doc, fragment, repair.doc, { mapping: new Map(), isOMark: new Map() });
        added = true;
      }
    } catch (err) {
      // The edit that made the need stays; only its repair is missing, as before editors repaired merges.
      console.error(`collab: could not even out the tables of ${doc.guid}: ${(err as Error).message}`);
    }
  }
  if (added) repairs.set(String(doc.clientID), true);
  return trimmed || added;
}
