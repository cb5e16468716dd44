import Link from 'next/link';

export type ReferenceView = { n: number; sourceId: string; sourceTitle: string; start: number; end: number; quote: string };

/** Where a citation's passage is, highlighted, on its source page. */
export function passageHref(r: { sourceId: string; start: number; end: number }): string {
  return `/sources/${r.sourceId}?hl=${r.start}-${r.end}#c-${r.start}-${r.end}`;
}

/** The numbered list of quoted passages this page cites, each linking to the passage in its source. */
export function References({ references }: { references: ReferenceView[] }) {
  return (
    <ol className="inline-links space-y-2 text-sm">
      {references.map((r) => (
        <li key={r.n} id={`ref-${r.n}`} className="grid grid-cols-[2rem_1fr] target:bg-mark rounded">
          <span className="text-muted">{r.n}.</span>
          <span>
            <q className="font-serif">{r.quote}</q>{' '}
            — <Link href={passageHref(r)}>{r.sourceTitle}</Link>, characters {r.start}–{r.end}
          </span>
        </li>
      ))}
    </ol>
  );
}
