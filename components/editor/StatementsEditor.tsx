'use client';

import { useEffect, useState, type FormEvent } from 'react';
import type * as Y from 'yjs';
import { PREDICATES, type Predicate } from '@/components/model/predicates';
import { formatFuzzyDate, isFuzzyDate } from '@/components/model/dates';
import { useYSnapshot } from './use-y';
import { EntityPicker } from './EntityPicker';

export type Statement = { id: string; predicate: string; targetEntityId: string; qualifiers: { date?: string; role?: string }; citations: unknown[] };

/** Titles of the statements' targets, fetched once each (a page the viewer cannot read stays unnamed). */
function useTitles(ids: string[]) {
  const [titles, setTitles] = useState<Record<string, string>>({});
  const missing = ids.filter((id) => !(id in titles));
  const key = missing.join(',');
  useEffect(() => {
    if (!key) return;
    for (const id of key.split(',')) {
      fetch(`/api/entities/${id}`)
        .then((r) => (r.ok ? r.json() : { title: 'a page you cannot see' }))
        .then((e: { title: string }) => setTitles((t) => ({ ...t, [id]: e.title })))
        .catch(() => {});
    }
  }, [key]);
  return titles;
}

/** The typed relations of the entity, held in the doc's `statements` array: add and remove live. */
export function StatementsEditor({ statements, editable }: { statements: Y.Array<Statement>; editable: boolean }) {
  const list = useYSnapshot(statements, () => statements.toJSON() as Statement[]);
  const titles = useTitles(list.map((s) => s.targetEntityId));
  const [target, setTarget] = useState<{ id: string; title: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const date = String(form.get('date') ?? '').trim();
    const role = String(form.get('role') ?? '').trim();
    if (!target) return setError('Choose the page this relation points to.');
    if (date && !isFuzzyDate(date)) return setError('Use a date like 1923, 1923-05, 1920s, c. 1925 or 1934/1935.');
    setError(null);
    statements.push([
      {
        id: crypto.randomUUID(),
        predicate: String(form.get('predicate')),
        targetEntityId: target.id,
        qualifiers: { ...(date ? { date } : {}), ...(role ? { role: role.slice(0, 200) } : {}) },
        citations: [],
      },
    ]);
    setTarget(null);
    event.currentTarget.reset();
  }

  function remove(id: string) {
    const index = statements.toArray().findIndex((s) => s.id === id);
    if (index >= 0) statements.delete(index, 1);
  }

  return (
    <section aria-labelledby="statements-heading" className="space-y-3">
      <h2 id="statements-heading" className="font-serif text-xl">Relations</h2>
      <ul className="space-y-1 text-sm">
        {list.map((s) => (
          <li key={s.id} className="flex items-start justify-between gap-2">
            <span>
              {PREDICATES[s.predicate as Predicate]?.label ?? s.predicate} <strong>{titles[s.targetEntityId] ?? '…'}</strong>
              {(s.qualifiers.role || s.qualifiers.date) && (
                <span className="text-muted"> ({[s.qualifiers.role, s.qualifiers.date && formatFuzzyDate(s.qualifiers.date)].filter(Boolean).join(', ')})</span>
              )}
            </span>
            {editable && (
              <button type="button" onClick={() => remove(s.id)} className="text-red-800 underline" aria-label={`Remove relation to ${titles[s.targetEntityId] ?? 'this page'}`}>
                Remove
              </button>
            )}
          </li>
        ))}
        {list.length === 0 && <li className="text-muted">No relations yet.</li>}
      </ul>
      {editable && (
        <form onSubmit={add} className="space-y-2 rounded border border-line bg-wash p-3">
          <h3 className="text-sm font-semibold">Add a relation</h3>
          {error && <p role="alert" className="text-xs text-red-800">{error}</p>}
          <label className="block text-sm">
            <span className="font-medium">Relation</span>
            <select name="predicate" className="mt-1 block w-full rounded border border-line bg-white px-2 py-1">
              {Object.entries(PREDICATES).map(([key, p]) => <option key={key} value={key}>{p.label}</option>)}
            </select>
          </label>
          {target ? (
            <p className="text-sm">
              To <strong>{target.title}</strong>{' '}
              <button type="button" onClick={() => setTarget(null)} className="underline">change</button>
            </p>
          ) : (
            <EntityPicker label="To page" onPick={(hit) => setTarget({ id: hit.id, title: hit.title })} />
          )}
          <div className="grid grid-cols-2 gap-2">
            <label className="block text-sm"><span className="font-medium">Date</span><input name="date" placeholder="e.g. 1923/1927" className="mt-1 w-full rounded border border-line px-2 py-1" /></label>
            <label className="block text-sm"><span className="font-medium">Role</span><input name="role" maxLength={200} className="mt-1 w-full rounded border border-line px-2 py-1" /></label>
          </div>
          <button type="submit" className="rounded bg-accent px-3 py-1 text-white">Add relation</button>
        </form>
      )}
    </section>
  );
}
