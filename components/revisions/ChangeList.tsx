import Link from 'next/link';
import { TypeBadge } from '@/components/entity/TypeBadge';
import { formatDelta, formatTimestamp, KIND_LABELS } from './format';

type Change = {
  id: string;
  number: number;
  parentId: string | null;
  kind: string;
  summary: string;
  sizeDelta: number;
  createdAt: Date;
  authors: { id: string; username: string }[];
  savedBy: string | null;
  entity: { slug: string; title: string; type: string };
};

/** Revisions across pages, newest first, each with its diff, authors and summary. */
export function ChangeList({ items }: { items: Change[] }) {
  if (items.length === 0) return <p className="text-muted">No changes.</p>;
  return (
    <ul className="divide-y divide-line bg-white border border-line rounded text-sm">
      {items.map((c) => (
        <li key={c.id} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 p-3 wrap-anywhere">
          <span className="text-muted whitespace-nowrap">{formatTimestamp(c.createdAt)}</span>
          <Link href={`/wiki/${c.entity.slug}`} className="font-medium">{c.entity.title}</Link>
          <TypeBadge type={c.entity.type} />
          <Link href={`/revisions/${c.id}`}>rev. {c.number}</Link>
          {c.parentId && <Link href={`/revisions/${c.id}/diff`}>diff</Link>}
          <span className={`tabular-nums ${c.sizeDelta > 0 ? 'text-emerald-800' : c.sizeDelta < 0 ? 'text-red-800' : 'text-muted'}`}>({formatDelta(c.sizeDelta)})</span>
          <span>
            {c.authors.length ? c.authors.map((a, i) => <span key={a.id}>{i > 0 && ', '}<Link href={`/users/${a.username}`}>{a.username}</Link></span>) : c.savedBy ? <Link href={`/users/${c.savedBy}`}>{c.savedBy}</Link> : <span className="text-muted">{KIND_LABELS[c.kind]}</span>}
          </span>
          {c.summary && <em className="text-muted">“{c.summary}”</em>}
        </li>
      ))}
    </ul>
  );
}
