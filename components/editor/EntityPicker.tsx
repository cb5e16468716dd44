'use client';

import { useEffect, useId, useState } from 'react';

type Hit = { id: string; title: string; type: string };

/** A search-as-you-type chooser of one entity (titles and aliases, typo tolerant). */
export function EntityPicker({ label, onPick }: { label: string; onPick: (entity: Hit) => void }) {
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<Hit[]>([]);
  const [active, setActive] = useState(0);
  const id = useId();

  useEffect(() => {
    const q = query.trim();
    if (!q) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/api/search?q=${encodeURIComponent(q.slice(0, 200))}&limit=8`, { signal: controller.signal })
        .then((r) => (r.ok ? r.json() : { items: [] }))
        .then((r: { items: Hit[] }) => {
          setHits(r.items);
          setActive(0);
        })
        .catch(() => {});
    }, 150);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query]);

  const visible = query.trim() ? hits : [];
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
        className="mt-1 w-full rounded border border-line px-2 py-1"
      />
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
