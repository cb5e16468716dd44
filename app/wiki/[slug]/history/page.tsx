import type { Metadata } from 'next';
import Link from 'next/link';
import { loadHistoryPage } from '@/server/loaders/revisions';
import { formatDelta, formatTimestamp, KIND_LABELS } from '@/components/revisions/format';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'History' };

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ before?: string }> };

export default async function HistoryPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const before = Number((await searchParams).before) || undefined;
  const { entity, items, nextBefore, total } = await loadHistoryPage(decodeURIComponent(slug), before);
  return (
    <div className="space-y-4">
      <h1 className="font-serif text-3xl">
        History of <Link href={`/wiki/${entity.slug}`}>{entity.title}</Link>
      </h1>
      <p className="text-sm text-muted">{total} {total === 1 ? 'revision' : 'revisions'}.{total > 1 && ' Pick two and compare them.'}</p>
      <form action="/compare" method="get" className="space-y-2">
        <div className="overflow-x-auto bg-white border border-line rounded">
          <table className="w-full text-sm">
            <thead>
              <tr className="text-left text-muted border-b border-line">
                <th className="p-2">From</th><th className="p-2">To</th><th className="p-2">Revision</th><th className="p-2">Date</th><th className="p-2">Authors</th><th className="p-2">Summary</th><th className="p-2 text-right">Size</th><th className="p-2">Kind</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-line">
              {items.map((r, i) => (
                <tr key={r.id}>
                  <td className="p-2"><input type="radio" name="from" value={r.id} defaultChecked={i === 1} aria-label={`Compare from revision ${r.number}`} /></td>
                  <td className="p-2"><input type="radio" name="to" value={r.id} defaultChecked={i === 0} aria-label={`Compare to revision ${r.number}`} /></td>
                  <td className="p-2"><a href={`/revisions/${r.id}`}>{r.number}</a></td>
                  <td className="p-2 whitespace-nowrap">{formatTimestamp(r.createdAt)}</td>
                  <td className="p-2">{r.authors.length ? r.authors.map((a) => <a key={a.id} href={`/users/${a.username}`} className="mr-1">{a.username}</a>) : <span className="text-muted">—</span>}</td>
                  <td className="p-2">{r.summary || <span className="text-muted">—</span>}</td>
                  <td className={`p-2 text-right tabular-nums ${r.sizeDelta > 0 ? 'text-emerald-800' : r.sizeDelta < 0 ? 'text-red-800' : ''}`}>{formatDelta(r.sizeDelta)}</td>
                  <td className="p-2">{KIND_LABELS[r.kind]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="flex flex-wrap items-center gap-4">
          <button type="submit" className="rounded bg-accent px-4 py-1.5 text-white">Compare selected revisions</button>
          {before && <Link href={`/wiki/${entity.slug}/history`}>Newest</Link>}
          {nextBefore && <Link href={`/wiki/${entity.slug}/history?before=${nextBefore}`}>Older revisions</Link>}
        </div>
      </form>
    </div>
  );
}
