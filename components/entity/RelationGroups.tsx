import Link from 'next/link';
import { relationLabel } from '@/components/model/predicates';
import { formatFuzzyDate } from '@/components/model/dates';
import { citationKey } from './DocBody';

export type RelationView = {
  predicate: string;
  direction: 'out' | 'in';
  qualifiers: { date?: string; role?: string };
  citations: { sourceId: string; start: number; end: number }[];
  other: { slug: string; title: string; type: string };
};

/** Statements grouped under their label, seen from this entity ("member of", "members"…). */
export function RelationGroups({ relations, refNumbers }: { relations: RelationView[]; refNumbers: Record<string, number> }) {
  const groups = new Map<string, RelationView[]>();
  for (const r of relations) {
    const label = relationLabel(r.predicate, r.direction);
    groups.set(label, [...(groups.get(label) ?? []), r]);
  }
  if (groups.size === 0) return <p className="text-muted text-sm">No relations recorded yet.</p>;
  return (
    <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-[12rem_1fr]">
      {[...groups].map(([label, items]) => (
        <div key={label} className="contents">
          <dt className="font-medium text-muted first-letter:uppercase">{label}</dt>
          <dd>
            <ul className="space-y-1">
              {items.map((r, i) => (
                <li key={i}>
                  <Link href={`/wiki/${r.other.slug}`}>{r.other.title}</Link>
                  {(r.qualifiers.role || r.qualifiers.date) && (
                    <span className="text-sm text-muted">
                      {' '}
                      ({[r.qualifiers.role, r.qualifiers.date && formatFuzzyDate(r.qualifiers.date)].filter(Boolean).join(', ')})
                    </span>
                  )}
                  {r.citations.map((c) => {
                    const n = refNumbers[citationKey(c)];
                    return n ? (
                      <sup key={n}>
                        <a href={`#ref-${n}`} aria-label={`Reference ${n}`}>[{n}]</a>
                      </sup>
                    ) : null;
                  })}
                </li>
              ))}
            </ul>
          </dd>
        </div>
      ))}
    </dl>
  );
}
