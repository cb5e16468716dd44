'use client';

import { useEffect, useId, useState } from 'react';
import { SEARCH_FAILED_MESSAGE, UNREACHABLE_MESSAGE } from '@/components/lib/api-client';

type Hit = { id: string; title: string; type: string };

/** A search-as-you-type chooser of one entity (titles and aliases, typo tolerant). */
export function EntityPicker({ label, onPick }: { label: string; onPick: (entity: Hit) => void }) {
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<Hit[]>([]);
  /** What the last search found for its query, or why it could not search: said under the input when nothing is listed. */
  const [answered, setAnswered] = useState<{ query: string; problem: string | null } | null>(null);
  const [active, setActive] = useState(0);
  const id = useId();

  useEffect(() => {
    const q = query.trim();
    if (!q) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/api/search?q=${encodeURIComponent(q.slice(0, 200))}&limit=8`, { signal: controller.signal })
        .then(async (r) => {
          const items = r.ok ? ((await r.json()) as { items: Hit[] }).items : [];
          setHits(items);
          setActive(0);
          setAnswered({ query: q, problem: r.ok ? null : SEARCH_FAILED_MESSAGE });
        })
        .catch((err: Error) => {
          if (err.name === 'AbortError') return; // a newer query is on its way
          setHits([]);
          setAnswered({ query: q, problem: UNREACHABLE_MESSAGE });
        });
    }, 150);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query]);

  const visible = query.trim() ? hits : [];
  const note = answered && answered.query === query.trim() && visible.length === 0 ? (answered.problem ?? `No page matches “${answered.query}”.`) : null;
  const pick = (hit: Hit) => {
    onPick(hit);
    setQuery('');
    setHits([]);
  };

  return (
    <div className="relative">
      <label htmlFor={id} className="block text-sm font-medium">{label}</label>
      <input
        id={id}
        role="combobox"
        aria-expanded={visible.length > 0}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={visible[active] ? `${id}-option-${active}` : undefined}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, visible.length - 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          else if (e.key === 'Enter' && visible[active]) {
            e.preventDefault();
            pick(visible[active]);
          } else return;
          e.preventDefault();
        }}
        placeholder="Type a name…"
        aria-describedby={note ? `${id}-note` : undefined}
        className="mt-1 w-full rounded border border-line px-2 py-1"
      />
      {note && (
        <p id={`${id}-note`} role="status" className={`mt-1 text-xs ${answered?.problem ? 'text-red-800' : 'text-muted'}`}>
          {note}
        </p>
      )}
      {visible.length > 0 && (
        <ul id={`${id}-list`} role="listbox" className="absolute z-20 mt-1 w-full rounded border border-line bg-white shadow">
          {visible.map((hit, i) => (
            <li key={hit.id} id={`${id}-option-${i}`} role="option" aria-selected={i === active}>
              <button type="button" tabIndex={-1} onMouseDown={(e) => e.preventDefault()} onClick={() => pick(hit)} className={`block w-full px-2 py-1 text-left text-sm ${i === active ? 'bg-sky-100' : 'hover:bg-wash'}`}>
                {hit.title} <span className="text-muted">· {hit.type}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
