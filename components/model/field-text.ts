import * as Y from 'yjs';
import { FIELD_LABELS } from './entity-types';

// An infobox field lives in the doc's `fields` map as a Y.Text of what its input shows (a list
// field as its items joined with "; "), so two people typing in one field both keep their
// characters, as in the body. Docs made before that hold plain values (a string, a list of
// strings); they are read the same way, and a field becomes a Y.Text when it is next edited.

/** The fields that hold a list: their text is items separated by semicolons. */
export const LIST_FIELDS: ReadonlySet<string> = new Set([
  'aliases',
  ...Object.values(FIELD_LABELS).flatMap((rows) => rows.filter(([, , kind]) => kind === 'list').map(([key]) => key)),
]);

const LIST_SEPARATOR = '; ';

/** What a field's input shows: its text, or a list's items joined with "; ". */
export function fieldSource(value: unknown): string {
  if (value instanceof Y.Text) return value.toString();
  if (Array.isArray(value)) return value.map(String).join(LIST_SEPARATOR);
  return typeof value === 'string' ? value : '';
}

/**
 * A field's value as plain content (what revisions, pages and search see): the text trimmed,
 * a list field's items split at semicolons; undefined when nothing is left. Plain values of
 * older docs are kept as they are.
 */
export function fieldValue(key: string, value: unknown): unknown {
  if (!(value instanceof Y.Text)) return value;
  const text = value.toString();
  if (LIST_FIELDS.has(key)) {
    const items = text.split(';').map((item) => item.trim()).filter(Boolean);
    return items.length ? items : undefined;
  }
  return text.trim() || undefined;
}

/** The doc's fields as plain content, empty ones left out. */
export function readFields(fields: Y.Map<unknown>): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of fields.entries()) {
    const read = fieldValue(key, value);
    if (read !== undefined) plain[key] = read;
  }
  return plain;
}

/** A new Y.Text for a field's plain value; a value that is neither text nor a list stays as it is. */
export function toFieldText(value: unknown): unknown {
  return typeof value === 'string' || Array.isArray(value) ? new Y.Text(fieldSource(value)) : value;
}

/** The one change that turns `before` into `after`: where it starts, how much it removes, what it inserts. */
export function textChange(before: string, after: string): { at: number; removed: number; inserted: string } {
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < shorter - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  // Never between the two halves of a character outside the BMP (an emoji): Yjs would keep half of it.
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  if (end > 0 && isLowSurrogate(before.charCodeAt(before.length - end))) end--;
  return { at: start, removed: before.length - start - end, inserted: after.slice(start, after.length - end) };
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * Edits `text` to read `next` with the smallest change (what others typed elsewhere in it stays
 * theirs), in a transaction of `origin` (an undo history's, see FieldsEditor).
 */
export function setText(text: Y.Text, next: string, origin: unknown = null): void {
  const { at, removed, inserted } = textChange(text.toString(), next);
  if (removed === 0 && !inserted) return;
  const edit = () => {
    if (removed) text.delete(at, removed);
    if (inserted) text.insert(at, inserted);
  };
  if (text.doc) text.doc.transact(edit, origin);
  else edit();
}

/**
 * Makes field `key` read `text`: its Y.Text edited in place; a plain value (an older doc's), or
 * none, becomes a Y.Text. `origin` marks the edit, as in `setText`; a Y.Text made for the field
 * (holding its value until then) is made in a transaction of its own, of no origin: undoing the
 * edit must not take away the field's text, with what others typed into it meanwhile.
 */
export function writeField(fields: Y.Map<unknown>, key: string, text: string, origin: unknown = null): void {
  const current = fields.get(key);
  if (current instanceof Y.Text) return setText(current, text, origin);
  if (!fields.doc || origin === null) return void fields.set(key, new Y.Text(text));
  const made = new Y.Text(fieldSource(current));
  fields.doc.transact(() => fields.set(key, made));
  setText(made, text, origin);
}

/** Where a caret at `index` goes when the text around it changes from `before` to `after` (it stays with the text it was in). */
export function movedIndex(index: number, before: string, after: string): number {
  const { at, removed, inserted } = textChange(before, after);
  if (index <= at) return index;
  if (index >= at + removed) return index - removed + inserted.length;
  return at + inserted.length;
}
