import Link from 'next/link';
import { passageHref } from '@/components/entity/References';

type Passage = { start: number; end: number; quote: string; entities: { id: string; slug: string; title: string }[] };

/** Every cited passage of a source, in text order, with the entities that cite it. */
export function CitedPassageList({ sourceId, passages }: { sourceId: string; passages: Passage[] }) {
  if (passages.length === 0) return <p className="text-muted text-sm">No entity cites this source yet.</p>;
  return (
    <ol className="space-y-3 text-sm">
      {passages.map((p) => (
        <li key={`${p.start}-${p.end}`} className="border-l-4 border-amber-300 pl-3">
          <a href={passageHref({ sourceId, ...p })} className="block py-0.5 font-serif text-ink no-underline hover:underline">
            “{p.quote.length > 160 ? `${p.quote.slice(0, 160)}…` : p.quote}”
          </a>
          <div className="inline-links text-muted">
            Cited by{' '}
            {p.entities.map((e, i) => (
              <span key={e.id}>
                {i > 0 && ', '}
                <Link href={`/wiki/${e.slug}`}>{e.title}</Link>
              </span>
            ))}
          </div>
        </li>
      ))}
    </ol>
  );
}
