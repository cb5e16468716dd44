'use client';

import { useEffect, useState, type ChangeEvent, type FormEvent } from 'react';
import type * as Y from 'yjs';
import { PREDICATES, isPredicate, likelyPredicate, type Predicate } from '@/components/model/predicates';
import { formatFuzzyDate, isFuzzyDate } from '@/components/model/dates';
import { asStatement, changeStatement, latestStatements, sameKind, wellFormedStatements, withFormChanges, type StatementData, type StatementKind } from '@/components/model/statements';
import { passageHref } from '@/components/entity/References';
import type { CitationAttrs } from '@/components/editor/schema/citation';
import { useYSnapshot } from './use-y';
import { EntityPicker } from './EntityPicker';
import { CiteSourceDialog } from './CiteSourceDialog';

export type Statement = StatementData;

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

type Kind = StatementKind;

/** The relation and its qualifiers as a form gives them, or what is wrong with them. */
function readKind(form: HTMLFormElement): Kind | string {
  const data = new FormData(form);
  const date = String(data.get('date') ?? '').trim();
  const role = String(data.get('role') ?? '').trim();
  const predicate = data.get('predicate');
  if (!isPredicate(predicate)) return 'Choose what kind of relation it is.';
  if (date && !isFuzzyDate(date)) return 'Use a date like 1923, 1923-05, 1920s, c. 1925 or 1934/1935.';
  return { predicate, qualifiers: { ...(date ? { date } : {}), ...(role ? { role: role.slice(0, 200) } : {}) } };
}

/**
 * The inputs of a relation's kind (what it is, when, in what role), filled with `value` when
 * given. `predicate` (with `onPredicate`) makes the kind's choice controlled.
 */
function KindInputs({ value, predicate, onPredicate }: { value?: Kind; predicate?: Predicate; onPredicate?: (p: Predicate) => void }) {
  return (
    <>
      <label className="block text-sm">
        <span className="font-medium">Relation</span>
        <select
          name="predicate"
          {...(predicate ? { value: predicate, onChange: (e: ChangeEvent<HTMLSelectElement>) => isPredicate(e.target.value) && onPredicate?.(e.target.value) } : { defaultValue: value?.predicate })}
          className="mt-1 block w-full rounded border border-line bg-white px-2 py-1"
        >
          {Object.entries(PREDICATES).map(([key, p]) => <option key={key} value={key}>{p.label}</option>)}
        </select>
      </label>
      <div className="grid grid-cols-2 gap-2">
        <label className="block text-sm"><span className="font-medium">Date</span><input name="date" defaultValue={value?.qualifiers.date} placeholder="e.g. 1923/1927" className="mt-1 w-full rounded border border-line px-2 py-1" /></label>
        <label className="block text-sm"><span className="font-medium">Role</span><input name="role" defaultValue={value?.qualifiers.role} maxLength={200} className="mt-1 w-full rounded border border-line px-2 py-1" /></label>
      </div>
    </>
  );
}

/** The add form's kind of relation before a page is picked or a kind chosen. */
const NOT_CHOSEN: { predicate: Predicate; chosen: boolean } = { predicate: 'member_of', chosen: false };

const short = (quote: string) => (quote.length > 90 ? `${quote.slice(0, 90).trimEnd()}…` : quote);
const sameCitation = (a: CitationAttrs, b: CitationAttrs) => a.sourceId === b.sourceId && a.start === b.start && a.end === b.end;

/**
 * The typed relations of the entity, held in the doc's `statements` array: added, changed
 * (kind, date, role), backed by quoted passages of sources, and removed, all live.
 */
export function StatementsEditor({ statements, editable, type }: { statements: Y.Array<Statement>; editable: boolean; type: string }) {
  const list = useYSnapshot(statements, () => latestStatements(wellFormedStatements(statements.toJSON())));
  const titles = useTitles(list.map((s) => s.targetEntityId));
  const [target, setTarget] = useState<{ id: string; title: string } | null>(null);
  /** The add form's kind of relation: proposed for the page picked (`likelyPredicate`) until the user chooses one. */
  const [adding, setAdding] = useState(NOT_CHOSEN);
  const [error, setError] = useState<string | null>(null);
  /** The relation being edited, as it was when its form opened: what the form did not change, others may have since. */
  const [editing, setEditing] = useState<Statement | null>(null);
  /** The page the relation being edited is to point to instead, once chosen ('choosing': the picker is open). */
  const [retarget, setRetarget] = useState<{ id: string; title: string } | 'choosing' | null>(null);
  const [editError, setEditError] = useState<string | null>(null);
  const [citing, setCiting] = useState<string | null>(null);
  const [gone, setGone] = useState(false);
  const titleOf = (s: Statement) => titles[s.targetEntityId] ?? 'this page';

  function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const kind = readKind(event.currentTarget);
    if (!target) return setError('Choose the page this relation points to.');
    if (typeof kind === 'string') return setError(kind);
    setError(null);
    statements.push([{ id: crypto.randomUUID(), ...kind, targetEntityId: target.id, citations: [] }]);
    setTarget(null);
    setAdding(NOT_CHOSEN);
    event.currentTarget.reset();
  }

  function pickTarget(hit: { id: string; title: string; type: string }) {
    setTarget({ id: hit.id, title: hit.title });
    const likely = likelyPredicate(type, hit.type);
    if (likely && !adding.chosen) setAdding({ predicate: likely, chosen: false });
  }

  /** Changes a statement; says so when someone else removed it meanwhile. */
  function change(id: string, next: (s: Statement) => Statement | null) {
    // The entry is read as the list shows it: another client may have written it in any shape.
    setGone(!changeStatement(statements, id, (entry) => {
      const statement = asStatement(entry);
      return statement ? next(statement) : null;
    }));
  }

  /** Saves the edit form: changes the relation, or adds it back (with the form's changes) when someone removed it meanwhile. */
  function save(opened: Statement, wasRemoved: boolean, event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const kind = readKind(event.currentTarget);
    if (typeof kind === 'string') return setEditError(kind);
    if (retarget === 'choosing') return setEditError('Choose the page this relation points to.');
    setEditError(null);
    setEditing(null);
    const target = retarget ? { targetEntityId: retarget.id } : {};
    if (wasRemoved) statements.push([{ ...opened, ...kind, ...target, id: crypto.randomUUID() }]);
    else change(opened.id, (s) => ({ ...withFormChanges(s, opened, kind), ...target }));
  }

  /** The relation being edited when someone else removed it: it stays in the list (same key, so its form keeps what was typed), struck through. */
  const removed = editing && !list.some((s) => s.id === editing.id) ? editing : null;

  /** The form editing relation `s` (as the list has it, or as it was when `isRemoved`). */
  const editForm = (s: Statement, isRemoved: boolean) => (
    <form onSubmit={(e) => save(editing ?? s, isRemoved, e)} aria-label={`Edit the relation to ${titleOf(s)}`} className="mt-1 space-y-2 rounded border border-line bg-wash p-2">
      {editError && <p role="alert" className="text-xs text-red-800">{editError}</p>}
      {isRemoved ? (
        <p role="status" className="text-xs text-red-800">Someone removed this relation while you were editing it. Save adds it back with your changes; Cancel leaves it removed.</p>
      ) : (
        editing &&
        !sameKind(s, editing) && (
          <p role="status" className="text-xs text-muted">
            Someone changed this relation while you were editing it. Saving keeps their change to what you leave as it was.
          </p>
        )
      )}
      {retarget === 'choosing' ? (
        <EntityPicker label="To page" onPick={(hit) => setRetarget({ id: hit.id, title: hit.title })} />
      ) : (
        <p className="text-sm">
          To <strong>{retarget ? retarget.title : titleOf(s)}</strong>{' '}
          <button type="button" onClick={() => setRetarget('choosing')} className="underline" aria-label="Change the page it points to">change</button>
        </p>
      )}
      <KindInputs value={s} />
      <div className="flex gap-2">
        <button type="submit" className="rounded bg-accent px-3 py-1 text-white">Save</button>
        <button type="button" onClick={() => setEditing(null)} className="rounded border border-line px-3 py-1">Cancel</button>
      </div>
    </form>
  );

  function cite(id: string, citation: CitationAttrs) {
    change(id, (s) => ({ ...s, citations: [...s.citations.filter((c) => !sameCitation(c, citation)), citation] }));
  }

  const action = 'min-h-6 min-w-6 text-xs underline'; // at least 24 px each way, for a finger
  return (
    <section aria-labelledby="statements-heading" className="space-y-3">
      <h2 id="statements-heading" className="font-serif text-xl">Relations</h2>
      {gone && <p role="status" className="text-xs text-muted">Someone removed that relation just now.</p>}
      <ul className="space-y-2 text-sm">
        {(removed ? [...list, removed] : list).map((s, i) => (
          <li key={s.id || `entry-${i}`} data-testid="relation">
            <span className={s === removed ? 'text-muted line-through' : undefined}>
              {PREDICATES[s.predicate].label} <strong>{titles[s.targetEntityId] ?? '…'}</strong>
              {(s.qualifiers.role || s.qualifiers.date) && (
                <span className="text-muted"> ({[s.qualifiers.role, s.qualifiers.date && formatFuzzyDate(s.qualifiers.date)].filter(Boolean).join(', ')})</span>
              )}
            </span>
            {s.citations.length > 0 && (
              <ul aria-label={`Sources of the relation to ${titleOf(s)}`} className="ml-3 mt-1 space-y-0.5 border-l-2 border-amber-300 pl-2 text-xs">
                {s.citations.map((c) => (
                  <li key={`${c.sourceId}:${c.start}:${c.end}`} className="flex items-start justify-between gap-2">
                    <a href={passageHref(c)} className="font-serif text-ink">“{short(c.quote)}”</a>
                    {editable && (
                      <button type="button" onClick={() => change(s.id, (x) => ({ ...x, citations: x.citations.filter((y) => !sameCitation(y, c)) }))} className="-mt-1 flex h-6 w-6 shrink-0 items-center justify-center rounded text-base text-red-800 hover:bg-red-50" aria-label={`Remove the citation “${short(c.quote)}”`}>
                        ×
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            )}
            {editable && editing?.id !== s.id && (
              <span className="mt-1 flex gap-3">
                <button type="button" onClick={() => (setEditing(s), setEditError(null), setRetarget(null))} className={action} aria-label={`Edit the relation to ${titleOf(s)}`}>Edit</button>
                <button type="button" onClick={() => setCiting(s.id)} className={action} aria-label={`Cite source for the relation to ${titleOf(s)}`}>Cite source</button>
                <button type="button" onClick={() => change(s.id, () => null)} className={`${action} text-red-800`} aria-label={`Remove relation to ${titleOf(s)}`}>Remove</button>
              </span>
            )}
            {editable && editing?.id === s.id && editForm(s, s === removed)}
          </li>
        ))}
        {list.length === 0 && !removed && <li className="text-muted">No relations yet.</li>}
      </ul>
      {citing && (
        <CiteSourceDialog title="Cite a source for this relation" action="Add citation" onClose={() => setCiting(null)} onInsert={(citation) => cite(citing, citation)} />
      )}
      {editable && (
        <form onSubmit={add} aria-labelledby="add-relation-heading" className="space-y-2 rounded border border-line bg-wash p-3">
          <h3 id="add-relation-heading" className="text-sm font-semibold">Add a relation</h3>
          {error && <p role="alert" className="text-xs text-red-800">{error}</p>}
          {target ? (
            <p className="text-sm">
              To <strong>{target.title}</strong>{' '}
              <button type="button" onClick={() => setTarget(null)} className="underline">change</button>
            </p>
          ) : (
            <EntityPicker label="To page" onPick={pickTarget} />
          )}
          <KindInputs predicate={adding.predicate} onPredicate={(predicate) => setAdding({ predicate, chosen: true })} />
          <button type="submit" className="rounded bg-accent px-3 py-1 text-white">Add relation</button>
        </form>
      )}
    </section>
  );
}
