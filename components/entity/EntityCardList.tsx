import Link from 'next/link';
import { TypeBadge } from './TypeBadge';

type Card = { id: string; slug: string; type: string; title: string; summary: string };

function shorten(text: string, max = 220): string {
  return text.length <= max ? text : `${text.slice(0, max).replace(/\s+\S*$/, '')}…`;
}

/** Entities as a list of cards: type, title, first sentences of the summary. */
export function EntityCardList({ entities, showType = true }: { entities: Card[]; showType?: boolean }) {
  return (
    <ul className="divide-y divide-line bg-white border border-line rounded">
      {entities.map((e) => (
        <li key={e.id} className="p-3 wrap-anywhere">
          <div className="flex flex-wrap items-center gap-2">
            <Link href={`/wiki/${e.slug}`} className="font-medium text-lg">
              {e.title}
            </Link>
            {showType && <TypeBadge type={e.type} />}
          </div>
          {e.summary && <p className="text-sm text-muted mt-1">{shorten(e.summary)}</p>}
        </li>
      ))}
    </ul>
  );
}
