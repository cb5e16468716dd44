'use client';

import { useState } from 'react';
import type * as Y from 'yjs';
import { FIELD_LABELS, type EntityType } from '@/components/model/entity-types';
import { formatFuzzyDate, isFuzzyDate } from '@/components/model/dates';
import { useYSnapshot } from './use-y';

type Row = { key: string; label: string; kind: 'date' | 'text' | 'list' };

/**
 * The infobox fields, each bound to its own key of the doc's `fields` map: a change is one
 * key's edit, seen live by everyone, never a form that overwrites the other fields.
 */
export function FieldsEditor({ fields, type, editable }: { fields: Y.Map<unknown>; type: EntityType; editable: boolean }) {
  const values = useYSnapshot(fields, () => fields.toJSON() as Record<string, unknown>);
  const [focused, setFocused] = useState<{ key: string; draft: string } | null>(null);
  const rows: Row[] = [
    { key: 'title', label: 'Title', kind: 'text' },
    { key: 'aliases', label: 'Also known as', kind: 'list' },
    ...FIELD_LABELS[type].map(([key, label, kind]) => ({ key, label, kind })),
  ];

  const shown = (row: Row) => {
    const value = values[row.key];
    return Array.isArray(value) ? value.join('; ') : typeof value === 'string' ? value : '';
  };
  const problem = (row: Row, text: string) =>
    row.kind === 'date' && text.trim() && !isFuzzyDate(text.trim()) ? 'Use a date like 1923, 1923-05, 1923-05-14, 1920s, c. 1925, after 1958 or 1934/1935.' : row.key === 'title' && !text.trim() ? 'A page needs a title.' : null;

  function commit(row: Row, text: string) {
    if (problem(row, text)) return;
    const clean = text.trim();
    if (!clean) return void fields.delete(row.key);
    const value = row.kind === 'list' ? clean.split(';').map((s) => s.trim()).filter(Boolean) : clean;
    if (JSON.stringify(value) !== JSON.stringify(fields.get(row.key))) fields.set(row.key, value);
  }

  return (
    <fieldset className="space-y-3" disabled={!editable}>
      <legend className="font-serif text-xl mb-1">Infobox</legend>
      {rows.map((row) => {
        const text = focused?.key === row.key ? focused.draft : shown(row);
        const error = focused?.key === row.key ? problem(row, text) : null;
        const id = `field-${row.key}`;
        return (
          <div key={row.key}>
            <label htmlFor={id} className="block text-sm font-medium">
              {row.label}
              {row.kind === 'list' && <span className="font-normal text-muted"> (separate with ;)</span>}
            </label>
            <input
              id={id}
              value={text}
              onFocus={() => setFocused({ key: row.key, draft: shown(row) })}
              onChange={(e) => {
                setFocused({ key: row.key, draft: e.target.value });
                if (row.kind !== 'date') commit(row, e.target.value);
              }}
              onBlur={() => {
                commit(row, text);
                setFocused(null);
              }}
              aria-invalid={Boolean(error)}
              aria-describedby={error ? `${id}-error` : undefined}
              className={`mt-1 w-full rounded border px-2 py-1 ${error ? 'border-red-600' : 'border-line'}`}
            />
            {error ? (
              <p id={`${id}-error`} className="text-xs text-red-800">{error}</p>
            ) : (
              row.kind === 'date' && text && isFuzzyDate(text) && <p className="text-xs text-muted">{formatFuzzyDate(text)}</p>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}
