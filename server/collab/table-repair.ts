import * as Y from 'yjs';
import type { Node, Schema } from '@tiptap/pm/model';
import type { TableMap } from '@tiptap/pm/tables';
import { plainBodySchema } from '@/components/editor/schema/body-spec';
import { MAX_TABLE_SPAN } from '@/components/editor/schema/rules';
import { BODY } from '@/server/docs/entity-doc';

let tableMaps: typeof import('@tiptap/pm/tables') | undefined;

/**
 * Loads prosemirror-tables, whose table map tells a table's shape, for `evenOutTables`: the
 * first time a table may need evening out, not when the server starts, as it brings
 * ProseMirror's view and state with it, which the collaboration server has no other use for
 * (a smaller process answers edits sooner: bench/RESULTS.md).
 */
export async function loadTableMaps(): Promise<void> {
  tableMaps ??= await import('@tiptap/pm/tables');
}

/** Whether `evenOutTables` may be called: `loadTableMaps` has been. */
export const tableMapsLoaded = (): boolean => tableMaps !== undefined;

function tablesModule(): typeof import('@tiptap/pm/tables') {
  if (!tableMaps) throw new Error('table maps are not loaded yet (loadTableMaps)');
  return tableMaps;
}

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

/**
 * Whether a table may have rows of unequal width: rows of different cell counts, or a cell
 * spanning more than one row or column.
 */
export function mayBeUneven(table: Y.XmlElement): boolean {
  if (table._item?.deleted) return false;
  const rows = table.toArray();
  const width = rows[0] instanceof Y.XmlElement ? rows[0].length : 0;
  return rows.some((row) => !(row instanceof Y.XmlElement) || row.length !== width || row.toArray().some(isMergedOrOdd));
}

/** A cell that spans more than one row or column, or no element at all: only a table map can tell a table's shape with it. */
const isMergedOrOdd = (cell: unknown) => !(cell instanceof Y.XmlElement) || spanOf(cell, 'colspan') > 1 || spanOf(cell, 'rowspan') > 1;

/** A cell's span, 1 unless the doc holds a whole number above it. */
function spanOf(cell: Y.XmlElement, key: 'colspan' | 'rowspan'): number {
  const span = Number(cell.getAttribute(key) ?? 1);
  return Number.isInteger(span) && span > 1 ? span : 1;
}

const SPAN_KEYS = new Set(['colspan', 'rowspan']);

/** The structs of a decoded update (`Y.decodeUpdate`). */
export type UpdateStructs = (Y.Item | Y.GC | Y.Skip)[];

/**
 * Whether an update (its decoded `structs`) sets a table cell's colspan or rowspan above
 * MAX_TABLE_SPAN, which would stall the editor of everyone on the page; `doc` is the doc it is
 * for, before it is applied. Cheap for typing (~1 µs): only a large number is looked at further.
 */
export function setsSpanTooFar(doc: Y.Doc, structs: UpdateStructs): boolean {
  const large = structs.filter((struct): struct is Y.Item => struct instanceof Y.Item && struct.content instanceof Y.ContentAny && struct.content.arr.some((value) => Number(value) > MAX_TABLE_SPAN));
  return large.some((item) => SPAN_KEYS.has(keyOf(item, structs, doc) ?? ''));
}

/**
 * The attribute (map key) an item of an update sets. An update names it only for an item with no
 * left neighbour; one that replaces a value has the value it replaced as its origin, and that
 * one's key, found in the same update or in the doc.
 */
function keyOf(item: Y.Item, structs: UpdateStructs, doc: Y.Doc, depth = 0): string | null {
  if (item.parentSub !== null) return item.parentSub;
  const origin = item.origin;
  if (!origin || depth > 100) return null;
  const inUpdate = structs.find(({ id, length }) => id.client === origin.client && id.clock <= origin.clock && origin.clock < id.clock + length);
  if (inUpdate) return inUpdate instanceof Y.Item ? keyOf(inUpdate, structs, doc, depth + 1) : null;
  try {
    const known = Y.getItem(doc.store, origin);
    return known instanceof Y.Item ? known.parentSub : null;
  } catch {
    return null; // not in the doc yet: the update waits for what it follows, unapplied
  }
}

/**
 * The doc's root map of the client ids the server's table repairs were made with (id → true):
 * every instance, now or after a restart, can tell a cell a repair added from a person's.
 */
export const TABLE_REPAIRS = 'tableRepairs';

/** A cell a table repair added that still holds nothing (an empty paragraph). */
function isEmptyRepairCell(cell: Y.XmlElement, repairs: Y.Map<unknown>): boolean {
  if (!cell._item || !repairs.has(String(cell._item.id.client))) return false;
  return cell.toArray().every((block) => block instanceof Y.XmlElement && block.nodeName === 'paragraph' && block.toArray().every((text) => text instanceof Y.XmlText && text.length === 0));
}

/** A table's rows in the doc, each with its cells (what the schema would drop left out). */
type Rows = { row: Y.XmlElement; cells: Y.XmlElement[] }[];
const CELL_KINDS = new Set(['tableCell', 'tableHeader']);

function rowsOf(table: Y.XmlElement): Rows {
  return table
    .toArray()
    .filter((row): row is Y.XmlElement => row instanceof Y.XmlElement && row.nodeName === 'tableRow')
    .map((row) => ({ row, cells: row.toArray().filter((cell): cell is Y.XmlElement => cell instanceof Y.XmlElement && CELL_KINDS.has(cell.nodeName)) }));
}

/** A cell's attributes as ProseMirror's table map reads them. */
function attrsOf(cell: Y.XmlElement): { colspan: number; rowspan: number; colwidth: number[] | null } {
  const colwidth = cell.getAttribute('colwidth') as unknown;
  const widths = Array.isArray(colwidth) && colwidth.every((w) => typeof w === 'number') ? colwidth : null;
  return { colspan: spanOf(cell, 'colspan'), rowspan: spanOf(cell, 'rowspan'), colwidth: widths };
}

/** The most grid places a table may have for its shape to be worked out (a table map holds one number for each). */
const MAX_TABLE_AREA = 1_000_000;

/**
 * A table's shape, as ProseMirror's table map tells it: from cells of the same kinds and spans,
 * empty (text plays no part in a shape). With, for each position the map names, the cell in the
 * doc. Throws for a table too large for a map, as one made of a huge span.
 */
function shapeOf(rows: Rows, schema: Schema): { map: TableMap; cellAt: Map<number, Y.XmlElement> } {
  const width = rows.reduce((sum, { cells }) => sum + cells.reduce((n, cell) => n + spanOf(cell, 'colspan'), 0), 0);
  if (width * rows.length > MAX_TABLE_AREA) throw new Error(`a table of ${rows.length} rows and up to ${width} columns is too large to even out`);
  const { table, tableRow } = schema.nodes;
  const shape: Node = table.create(null, rows.map(({ cells }) => tableRow.create(null, cells.map((cell) => schema.nodes[cell.nodeName].createAndFill(attrsOf(cell))!))));
  const cellAt = new Map<number, Y.XmlElement>();
  shape.forEach((row, rowPos, r) => row.forEach((_, cellPos, c) => cellAt.set(rowPos + 1 + cellPos, rows[r].cells[c])));
  return { map: tablesModule().TableMap.get(shape), cellAt };
}

/** Whether a table map finds rows of unequal width (not only column widths that disagree). */
const isUneven = (map: TableMap) => (map.problems ?? []).some((problem) => problem.type !== 'colwidth mismatch');

/** Empty cells of the kind a row starts with (a header cell in a row that starts with one), as an editor adds them. */
function emptyCellsFor(cells: Y.XmlElement[], n: number): Y.XmlElement[] {
  const kind = cells[0]?.nodeName === 'tableHeader' ? 'tableHeader' : 'tableCell';
  return Array.from({ length: n }, () => {
    const cell = new Y.XmlElement(kind);
    cell.insert(0, [new Y.XmlElement('paragraph')]);
    return cell;
  });
}

/** Sets a cell's attributes, leaving out those that are null as the editor's binding does. */
function setAttrs(cell: Y.XmlElement, attrs: object): void {
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null) cell.removeAttribute(key);
    else cell.setAttribute(key, value as never);
  }
}

/** Removes an element from its parent. */
function remove(element: Y.XmlElement): void {
  const parent = element.parent as Y.XmlElement;
  parent.delete(parent.toArray().indexOf(element), 1);
}

/**
 * Takes back the empty cells that earlier repairs added at the ends of rows and that no row needs
 * now, so that the table is only as wide as its widest row without them. Someone who added a
 * column and undid it while another person added a row: the cell the server had added to that
 * row in the new column stayed, and evening out the rest brought the whole column back, empty.
 * Two repairs of one merge (each adding the missing cells) leave a cell too many the same way. A
 * cell taken back twice is taken back once, where a cell added twice is there twice. For an
 * uneven table. Returns whether any cell was taken back.
 */
function trimRepairCells(rows: Rows, repairs: Y.Map<unknown>, schema: Schema): boolean {
  const kept = rows.map(({ row, cells }) => {
    let n = cells.length;
    while (n > 0 && isEmptyRepairCell(cells[n - 1], repairs)) n--;
    return { row, cells: cells.slice(0, n) };
  });
  if (kept.every(({ cells }, r) => cells.length === rows[r].cells.length)) return false;
  // Without them, what each row lacks of the widest row: that many of its repair cells stay.
  const lacks = kept.map(() => 0);
  for (const problem of shapeOf(kept, schema).map.problems ?? []) {
    if (problem.type !== 'missing') return false; // a shape that not only the trimming made: left to `fixTable`
    lacks[problem.row] += problem.n;
  }
  const extra = rows.flatMap(({ cells }, r) => cells.slice(kept[r].cells.length + lacks[r]));
  extra.forEach(remove);
  return extra.length > 0;
}

/**
 * Evens out one table as prosemirror-tables' `fixTable` does in an editor, but in the doc itself:
 * a merged cell that overlaps another loses the overlap, one spanning past the last row is cut
 * short, column widths are made to agree, and every short row gets its missing cells, always at
 * its end (a row someone added while another person added a column lacks them there;
 * y-prosemirror writing back `fixTable`'s result could put them at the start, as it compares
 * cells, not positions). A table with no cell at all is removed. Returns whether anything changed.
 */
function fixTable(table: Y.XmlElement, rows: Rows, schema: Schema): boolean {
  const { map, cellAt } = shapeOf(rows, schema);
  if (!map.problems) return false;
  const mustAdd = rows.map(() => 0);
  for (const problem of map.problems) {
    if (problem.type === 'zero_sized') {
      remove(table);
      return true;
    }
    if (problem.type === 'missing') {
      mustAdd[problem.row] += problem.n;
      continue;
    }
    const cell = cellAt.get(problem.pos);
    if (!cell) continue;
    const attrs = attrsOf(cell);
    if (problem.type === 'collision') {
      for (let j = 0; j < attrs.rowspan && problem.row + j < rows.length; j++) mustAdd[problem.row + j] += problem.n;
      setAttrs(cell, tablesModule().removeColSpan(attrs, attrs.colspan - problem.n, problem.n));
    } else if (problem.type === 'overlong_rowspan') setAttrs(cell, { rowspan: attrs.rowspan - problem.n });
    else if (problem.type === 'colwidth mismatch') setAttrs(cell, { colwidth: problem.colwidth });
  }
  rows.forEach(({ row, cells }, r) => mustAdd[r] > 0 && row.push(emptyCellsFor(cells, mustAdd[r])));
  return true;
}

/** How many times a table is evened out in one repair at most: a table a pass leaves uneven takes one more. */
const FIX_PASSES = 3;

/**
 * Evens out the body's tables (every row as wide as the widest, as prosemirror-tables does in an
 * editor): the cells missing after two people changed a table at once, one adding a row while
 * the other added a column, or in a pasted table. Editors of a shared doc even out no table
 * (each one's repair of a merge would add the cells again: `sharedTable`), so the server, the
 * one place every client's change goes through, does, writing into the doc directly. In an
 * uneven table, the empty cells of earlier repairs that no row needs any more are taken back
 * first (`trimRepairCells`), then what is left is evened out (`fixTable`). An even table is left
 * as it is.
 * Call inside `doc.transact`, as a client of its own (its id is recorded in TABLE_REPAIRS), once
 * `loadTableMaps` has loaded what it needs.
 * Returns whether anything changed.
 */
export function evenOutTables(doc: Y.Doc): boolean {
  const fragment = doc.getXmlFragment(BODY);
  const repairs = doc.getMap(TABLE_REPAIRS);
  const schema = plainBodySchema();
  let trimmed = false;
  let fixed = false;
  const tables = [...fragment.createTreeWalker((type) => type instanceof Y.XmlElement && type.nodeName === 'table')] as Y.XmlElement[];
  for (const table of tables.filter(mayBeUneven)) {
    try {
      if (!isUneven(shapeOf(rowsOf(table), schema).map)) continue;
      if (trimRepairCells(rowsOf(table), repairs, schema)) trimmed = true;
      // One pass may need another, as in an editor: a cut span's cells lengthen its rows.
      for (let pass = 0; pass < FIX_PASSES && fixTable(table, rowsOf(table), schema); pass++) fixed = true;
    } catch (err) {
      // The edit that made the need stays; only its repair is missing.
      console.error(`collab: could not even out a table of ${doc.guid}: ${(err as Error).message}`);
    }
  }
  if (fixed) repairs.set(String(doc.clientID), true);
  return trimmed || fixed;
}
