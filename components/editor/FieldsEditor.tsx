'use client';

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { editorFields, type EntityType } from '@/components/model/entity-types';
import { formatFuzzyDate, isFuzzyDate } from '@/components/model/dates';
import { fieldSource, movedIndex, writeField } from '@/components/model/field-text';
import { useYSnapshot } from './use-y';
import { presentUser } from './Presence';

type Row = { key: string; label: string; kind: 'date' | 'text' | 'list' };
type Person = { name: string; color: string };

/** Who else is in which field, by field key (each editor's presence says which field has its focus). */
function useFieldPeople(awareness: Awareness): Record<string, Person[]> {
  const [people, setPeople] = useState<Record<string, Person[]>>({});
  useEffect(() => {
    const read = () => {
      const byField: Record<string, Person[]> = {};
      for (const [clientId, state] of awareness.getStates()) {
        const user = presentUser(state);
        if (clientId === awareness.clientID || !user || typeof state.field !== 'string') continue;
        const here = (byField[state.field] ??= []);
        if (!here.some((person) => person.name === user.name)) here.push(user); // one flag for someone's two tabs
      }
      setPeople(byField);
    };
    read();
    awareness.on('change', read);
    return () => awareness.off('change', read);
  }, [awareness]);
  return people;
}

/** A field's own undo history: its transactions carry `origin`, which only its `manager` tracks. */
type History = { origin: object; manager: Y.UndoManager };

/**
 * Each field's undo history (made when first asked for, in an event handler), of this person's
 * typing there only: others' typing stays, as in the text. The browser's own history of an input
 * knows nothing of others' changes: its redo put back characters that were there already.
 */
function useFieldHistories(fields: Y.Map<unknown>): (key: string) => History {
  const made = useRef<{ fields: Y.Map<unknown>; byKey: Map<string, History> } | null>(null);
  useEffect(
    () => () => {
      made.current?.byKey.forEach((history) => history.manager.destroy());
      made.current = null;
    },
    [fields],
  );
  return useCallback(
    (key: string) => {
      if (made.current?.fields !== fields) made.current = { fields, byKey: new Map() };
      let history = made.current.byKey.get(key);
      if (!history) {
        const origin = { field: key };
        history = { origin, manager: new Y.UndoManager(fields, { trackedOrigins: new Set([origin]) }) };
        made.current.byKey.set(key, history);
      }
      return history;
    },
    [fields],
  );
}

/** The history step a key press asks for: Ctrl+Z (⌘Z) undoes, Ctrl+Shift+Z and Ctrl+Y redo. */
function historyStep(event: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }): 'undo' | 'redo' | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  const key = event.key.toLowerCase();
  if (key === 'z') return event.shiftKey ? 'redo' : 'undo';
  return key === 'y' && !event.shiftKey ? 'redo' : null;
}

/**
 * The infobox fields, each bound to its own Y.Text in the doc's `fields` map: what one person
 * types is merged character by character with what others type in the same field, as in the
 * body, and shown to everyone as it is typed; never a form that overwrites the other fields.
 */
export function FieldsEditor({ fields, awareness, type, editable }: { fields: Y.Map<unknown>; awareness: Awareness; type: EntityType; editable: boolean }) {
  const values = useYSnapshot(fields, () => fields.toJSON() as Record<string, unknown>);
  const people = useFieldPeople(awareness);
  const rows: Row[] = editorFields(type).map(([key, label, kind]) => ({ key, label, kind }));
  const historyOf = useFieldHistories(fields);

  return (
    <fieldset className="space-y-3" disabled={!editable}>
      <legend className="font-serif text-xl mb-1">Infobox</legend>
      {rows.map((row) => (
        <FieldInput
          key={row.key}
          row={row}
          text={fieldSource(values[row.key])}
          onText={(text) => writeField(fields, row.key, text, historyOf(row.key).origin)}
          history={historyOf}
          people={people[row.key] ?? []}
          onFocus={(focused) => awareness.setLocalStateField('field', focused ? row.key : null)}
        />
      ))}
    </fieldset>
  );
}

function problem(row: Row, text: string): string | null {
  if (row.kind === 'date' && text.trim() && !isFuzzyDate(text.trim())) return 'Use a date like 1923, 1923-05, 1923-05-14, 1920s, c. 1925, after 1958 or 1934/1935.';
  return row.key === 'title' && !text.trim() ? 'A page needs a title.' : null;
}

/**
 * One field's input. It is not controlled by React: what the user types goes to the doc as it
 * is typed, and a change from elsewhere is put into the input with the caret and selection
 * kept on the text they were in (React setting the value would put the caret at the end).
 */
function FieldInput({
  row,
  text,
  onText,
  history,
  people,
  onFocus,
}: {
  row: Row;
  text: string;
  onText: (text: string) => void;
  /** The fields' undo histories (the browser's is never used). */
  history: (key: string) => History;
  people: Person[];
  onFocus: (focused: boolean) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  // Undo and redo from the browser's menus come as input events, not key presses.
  useEffect(() => {
    const el = input.current;
    const fromMenu = (event: InputEvent) => {
      if (event.inputType !== 'historyUndo' && event.inputType !== 'historyRedo') return;
      event.preventDefault();
      history(row.key).manager[event.inputType === 'historyUndo' ? 'undo' : 'redo']();
    };
    el?.addEventListener('beforeinput', fromMenu);
    return () => el?.removeEventListener('beforeinput', fromMenu);
  }, [history, row.key]);
  useLayoutEffect(() => {
    const el = input.current;
    if (!el || el.value === text) return;
    const before = el.value;
    const { selectionStart, selectionEnd, selectionDirection } = el;
    el.value = text;
    if (document.activeElement === el && selectionStart !== null && selectionEnd !== null) {
      el.setSelectionRange(movedIndex(selectionStart, before, text), movedIndex(selectionEnd, before, text), selectionDirection ?? undefined);
    }
  }, [text]);

  const error = problem(row, text);
  const id = `field-${row.key}`;
  return (
    <div>
      <div className="flex flex-wrap items-baseline justify-between gap-x-2">
        <label htmlFor={id} className="block text-sm font-medium">
          {row.label}
          {row.kind === 'list' && <span className="font-normal text-muted"> (separate with ;)</span>}
        </label>
        {/* Who else is in this field, in their caret colour (as a spreadsheet flags a cell someone is in). */}
        {people.length > 0 && (
          <span data-testid="field-people" data-field={row.key} className="flex gap-1" aria-live="polite">
            {people.map((person) => (
              <span key={person.name} className="rounded px-1 text-xs font-semibold text-white" style={{ background: person.color }}>
                {person.name}
                <span className="sr-only"> is here</span>
              </span>
            ))}
          </span>
        )}
      </div>
      <input
        ref={input}
        id={id}
        defaultValue={text}
        onChange={(e) => onText(e.target.value)}
        onKeyDown={(e) => {
          const step = historyStep(e);
          if (!step) return;
          e.preventDefault();
          history(row.key).manager[step]();
        }}
        onFocus={() => onFocus(true)}
        onBlur={() => onFocus(false)}
        style={people.length > 0 ? { boxShadow: `0 0 0 2px ${people[0].color}` } : undefined}
        aria-invalid={Boolean(error)}
        aria-describedby={error ? `${id}-error` : undefined}
        className={`mt-1 w-full rounded border px-2 py-1 ${error ? 'border-red-600' : 'border-line'}`}
      />
      {error ? (
        <p id={`${id}-error`} className="text-xs text-red-800">{error}</p>
      ) : (
        row.kind === 'date' && text && isFuzzyDate(text.trim()) && <p className="text-xs text-muted">{formatFuzzyDate(text.trim())}</p>
      )}
    </div>
  );
}
