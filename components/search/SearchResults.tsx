import Link from 'next/link';
import { TypeBadge } from '@/components/entity/TypeBadge';
import type { SearchHit } from '@/components/model/search';


/** A snippet with `[[[`…`]]]` around matched words, rendered as text with <mark>s (never as HTML). */
function Snippet({ text }: { text: string }) {
  const parts = text.split(/\[\[\[|\]\]\]/);
  return (
    <p className="text-sm text-muted mt-1">
      …{parts.map((part, i) => (i % 2 === 1 ? <mark key={i} className="bg-mark text-ink">{part}</mark> : <span key={i}>{part}</span>))}…
    </p>
  );
}

function MatchNote({ hit }: { hit: SearchHit }) {
  if (hit.match === 'alias' && hit.matchedName && hit.matchedName !== hit.title) return <span className="text-xs text-muted">also known as “{hit.matchedName}”</span>;
  if (hit.match === 'fuzzy') return <span className="text-xs text-muted">close spelling of “{hit.matchedName}”</span>;
  return null;
}

export function SearchResults({ hits }: { hits: SearchHit[] }) {
  return (
    <ol className="divide-y divide-line bg-white border border-line rounded">
      {hits.map((hit) => (
        <li key={hit.id} className="p-3 wrap-anywhere">
          <div className="flex flex-wrap items-center gap-2">
            <Link href={`/wiki/${hit.slug}`} className="font-medium text-lg">{hit.title}</Link>
            <TypeBadge type={hit.type} />
            <MatchNote hit={hit} />
          </div>
          {hit.snippet ? <Snippet text={hit.snippet} /> : <p className="text-sm text-muted mt-1">{hit.summary.slice(0, 240)}{hit.summary.length > 240 ? '…' : ''}</p>}
        </li>
      ))}
    </ol>
  );
}
