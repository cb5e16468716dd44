/**
 * The doc's `statements` is a Y.Array of plain objects, so a statement is changed by replacing
 * it: its entries deleted and the new version inserted where the first one was, in one
 * transaction. Two people changing one statement at once each insert their version; both are
 * in the array once their edits merge, in the same order for everyone. The last of them is
 * the statement (the other's change is lost, as with two people setting one infobox field),
 * and the next change of that statement removes both.
 */

import { isUuid } from './ids';
import { isPredicate, type Predicate } from './predicates';

/** What every statement has for these helpers: its id (a UUID). Any client can write the array, so an entry may be anything. */
type Identified = { id?: unknown } | null | undefined;

const keyOf = (statement: Identified) => (statement && typeof statement === 'object' && typeof statement.id === 'string' && statement.id !== '' ? statement.id : null);

/** A quoted passage of a source backing a statement (the server keeps only those whose quote is the source's text there). */
export type CitationData = { sourceId: string; start: number; end: number; quote: string };
/** A relation as everyone reads the doc's `statements`: see `wellFormedStatements`. */
export type StatementData = { id: string; predicate: Predicate; targetEntityId: string; qualifiers: { date?: string; role?: string }; citations: CitationData[] };

/** A citation of the right shape: a source's id, whole-number offsets and a quote (whether the quote is the source's text is the server's to check). */
export const isCitation = (c: unknown): c is CitationData => {
  const { sourceId, start, end, quote } = (c ?? {}) as Record<string, unknown>;
  return typeof sourceId === 'string' && sourceId !== '' && Number.isInteger(start) && Number.isInteger(end) && typeof quote === 'string';
};

/**
 * One entry of a doc's `statements` as a statement, or null when it is not one: a known
 * predicate and a target (an entity's id); qualifiers and citations of the wrong shape are left out. Any client
 * may write anything into the array; the editor, the projections and the pages read it through this.
 */
export function asStatement(entry: unknown): StatementData | null {
  if (!entry || typeof entry !== 'object') return null;
  const { id, predicate, targetEntityId, qualifiers, citations } = entry as Record<string, unknown>;
  if (!isPredicate(predicate) || typeof targetEntityId !== 'string' || !isUuid(targetEntityId)) return null;
  const q = qualifiers && typeof qualifiers === 'object' ? (qualifiers as Record<string, unknown>) : {};
  return {
    id: String(id ?? ''),
    predicate,
    targetEntityId,
    qualifiers: { ...(typeof q.date === 'string' ? { date: q.date } : {}), ...(typeof q.role === 'string' ? { role: q.role } : {}) },
    citations: Array.isArray(citations) ? citations.filter(isCitation) : [],
  };
}

/** The entries of `raw` (a doc's `statements`) that are statements, as `asStatement` reads them. */
export function wellFormedStatements(raw: unknown): StatementData[] {
  return Array.isArray(raw) ? raw.flatMap((entry) => asStatement(entry) ?? []) : [];
}

/**
 * The statements as people see them: of the entries sharing an id, the last one, in its
 * place; entries without an id are each their own.
 */
export function latestStatements<T extends Identified>(entries: T[]): T[] {
  const last = new Map<string, number>();
  entries.forEach((s, i) => {
    const key = keyOf(s);
    if (key) last.set(key, i);
  });
  return entries.filter((s, i) => {
    const key = keyOf(s);
    return key === null || last.get(key) === i;
  });
}

/** The part of a Y.Array these helpers use (kept structural, so this file needs no Yjs). */
type StatementArray<T> = {
  toArray(): T[];
  delete(index: number, length?: number): void;
  insert(index: number, content: T[]): void;
  doc: { transact(change: () => void): void } | null;
};

/**
 * Replaces the statement `id` with `change(its latest version)`, as one edit; removes it when
 * `change` returns null. False when there is no such statement (someone removed it meanwhile).
 */
export function changeStatement<T extends Identified>(statements: StatementArray<T>, id: string, change: (statement: T) => T | null): boolean {
  const entries = statements.toArray();
  const at = entries.flatMap((s, i) => (keyOf(s) === id ? [i] : []));
  if (at.length === 0) return false;
  const next = change(entries[at[at.length - 1]]);
  const apply = () => {
    for (const i of [...at].reverse()) statements.delete(i, 1);
    if (next) statements.insert(at[0], [next]);
  };
  if (statements.doc) statements.doc.transact(apply);
  else apply();
  return true;
}

/** What a relation's edit form sets: its kind and qualifiers. */
export type StatementKind = Pick<StatementData, 'predicate' | 'qualifiers'>;

/**
 * `current` with one editor's form applied, keeping what others changed while the form was
 * open: only the parts the form changed from `base` (the relation when it was opened) are
 * taken from `mine`.
 */
export function withFormChanges(current: StatementData, base: StatementKind, mine: StatementKind): StatementData {
  const pick = <V>(before: V, after: V, now: V) => (after !== before ? after : now);
  const date = pick(base.qualifiers.date, mine.qualifiers.date, current.qualifiers.date);
  const role = pick(base.qualifiers.role, mine.qualifiers.role, current.qualifiers.role);
  return { ...current, predicate: pick(base.predicate, mine.predicate, current.predicate), qualifiers: { ...(date ? { date } : {}), ...(role ? { role } : {}) } };
}

/** Whether two relations are of the same kind with the same qualifiers. */
export function sameKind(a: StatementKind, b: StatementKind): boolean {
  return a.predicate === b.predicate && (a.qualifiers.date ?? '') === (b.qualifiers.date ?? '') && (a.qualifiers.role ?? '') === (b.qualifiers.role ?? '');
}
