import type { Metadata } from 'next';
import Link from 'next/link';
import { loadHistoryPage } from '@/server/loaders/revisions';
import { MAX_REVISION_NUMBER } from '@/db/queries/revisions';
import { counted, formatTimestamp } from '@/components/revisions/format';
import { HistoryTable } from '@/components/revisions/HistoryTable';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'History' };

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ before?: string }> };

export default async function HistoryPage({ params, searchParams }: Props) {
  const { slug } = await params;
  // Older pages start before a revision number; anything else (junk, 0, past the integer range) shows the newest.
  const asked = Number((await searchParams).before);
  const before = Number.isInteger(asked) && asked >= 1 && asked <= MAX_REVISION_NUMBER ? asked : undefined;
  const { entity, items, nextBefore, total } = await loadHistoryPage(decodeURIComponent(slug), before);
  return (
    <div className="space-y-4">
      <h1 className="font-serif text-3xl wrap-anywhere">
        History of <Link href={`/wiki/${entity.slug}`}>{entity.title}</Link>
      </h1>
      <p className="text-sm text-muted">
        {counted(total, 'revision')}.{total > 1 && ' Pick two and compare them.'} <Link href={`/wiki/${entity.slug}/authorship`}>Who wrote the current text</Link>
      </p>
      <form action="/compare" method="get" className="space-y-2">
        <HistoryTable comparable={total > 1} rows={items.map((r) => ({ id: r.id, number: r.number, when: formatTimestamp(r.createdAt), authors: r.authors.map((a) => a.username), summary: r.summary, sizeDelta: r.sizeDelta, kind: r.kind }))} />
        <div className="flex flex-wrap items-center gap-4">
          {total > 1 && <button type="submit" className="rounded bg-accent px-4 py-1.5 text-white">Compare selected revisions</button>}
          {before && <Link href={`/wiki/${entity.slug}/history`}>Newest</Link>}
          {nextBefore && <Link href={`/wiki/${entity.slug}/history?before=${nextBefore}`}>Older revisions</Link>}
        </div>
      </form>
    </div>
  );
}
