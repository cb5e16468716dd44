import Link from 'next/link';
import { TYPE_INFO, type EntityType } from '@/components/model/entity-types';
import { EntityCardList } from './EntityCardList';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

type Props = {
  type: EntityType;
  items: { id: string; slug: string; type: string; title: string; summary: string }[];
  letters: Set<string>;
  facet: { label: string; values: { value: string; count: number }[] } | null;
  filter: { letter?: string; q?: string; facet?: string };
};

function href(path: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => Boolean(e[1])));
  return query.size ? `${path}?${query}` : path;
}

/** A type's index: A–Z, a name filter, one facet, and the matching entities. */
export function TypeIndex({ type, items, letters, facet, filter }: Props) {
  const info = TYPE_INFO[type];
  return (
    <div className="space-y-4">
      <h1 className="font-serif text-3xl">{info.plural}</h1>
      <nav aria-label="By first letter" className="flex flex-wrap gap-1 text-sm">
        <Link href={href(info.path, { q: filter.q, facet: filter.facet })} aria-current={!filter.letter ? 'page' : undefined} className={`px-2 py-1 rounded border ${!filter.letter ? 'bg-accent text-white border-accent' : 'border-line bg-white'}`}>
          All
        </Link>
        {ALPHABET.map((l) =>
          letters.has(l) ? (
            <Link key={l} href={href(info.path, { letter: l, q: filter.q, facet: filter.facet })} aria-current={filter.letter === l ? 'page' : undefined} className={`px-2 py-1 rounded border no-underline ${filter.letter === l ? 'bg-accent text-white border-accent' : 'border-line bg-white'}`}>
              {l}
            </Link>
          ) : (
            <span key={l} className="px-2 py-1 text-gray-400" aria-hidden="true">{l}</span>
          ),
        )}
      </nav>
      <form method="get" action={info.path} className="flex flex-wrap items-end gap-3 bg-white border border-line rounded p-3">
        {filter.letter && <input type="hidden" name="letter" value={filter.letter} />}
        <label className="flex flex-col text-sm">
          <span className="text-muted">Name contains</span>
          <input name="q" defaultValue={filter.q} maxLength={100} className="border border-line rounded px-2 py-1" />
        </label>
        {facet && (
          <label className="flex flex-col text-sm">
            <span className="text-muted">{facet.label}</span>
            <select name="facet" defaultValue={filter.facet ?? ''} className="border border-line rounded px-2 py-1 bg-white">
              <option value="">Any</option>
              {facet.values.map((v) => (
                <option key={v.value} value={v.value}>{v.value} ({v.count})</option>
              ))}
            </select>
          </label>
        )}
        <button type="submit" className="bg-accent text-white rounded px-4 py-1.5">Filter</button>
        {(filter.q || filter.facet || filter.letter) && <Link href={info.path} className="text-sm">Clear filters</Link>}
      </form>
      <p className="text-muted text-sm" aria-live="polite">{items.length} {items.length === 1 ? 'entry' : 'entries'}</p>
      {items.length > 0 ? <EntityCardList entities={items} showType={false} /> : <p>No entries match these filters.</p>}
    </div>
  );
}
