/**
 * The doc's `statements` is a Y.Array of plain objects, so a statement is changed by replacing
 * it: its entries deleted and the new version inserted where the first one was, in one
 * transaction. Two people changing one statement at once each insert their version; both are
 * in the array once their edits merge, in the same order for everyone. The last of them is
 * the statement (the other's change is lost, as with two people setting one infobox field),
 * and the next change of that statement removes both.
 */

/** What every statement has for these helpers: its id (a UUID). */
type Identified = { id?: unknown };

const keyOf = (statement: Identified) => (typeof statement.id === 'string' && statement.id !== '' ? statement.id : null);

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
