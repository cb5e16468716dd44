import type { Metadata } from 'next';
import Link from 'next/link';
import { loadDiffPage } from '@/server/loaders/revisions';
import { DiffView } from '@/components/revisions/DiffView';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Compare revisions' };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ against?: string; view?: string }> };

export default async function DiffPage({ params, searchParams }: Props) {
  const { id } = await params;
  const { against, view } = await searchParams;
  const page = await loadDiffPage(id, against);
  if (page.error) {
    return (
      <div className="max-w-2xl">
        <h1 className="font-serif text-3xl mb-2">Cannot compare</h1>
        <p role="alert">{page.error}</p>
      </div>
    );
  }
  const mode = view === 'side' ? 'side' : 'inline';
  const toggle = `/revisions/${page.to.id}/diff?${page.from ? `against=${page.from.id}&` : ''}view=${mode === 'inline' ? 'side' : 'inline'}`;
  return (
    <div className="space-y-4">
      <h1 className="font-serif text-3xl">
        Changes to <Link href={`/wiki/${page.entity.slug}`}>{page.entity.title}</Link>
      </h1>
      <p>
        {page.from ? (
          <>
            From <Link href={`/revisions/${page.from.id}`}>revision {page.from.number}</Link> to <Link href={`/revisions/${page.to.id}`}>revision {page.to.number}</Link>
          </>
        ) : (
          <>
            <Link href={`/revisions/${page.to.id}`}>Revision {page.to.number}</Link> is the page’s first: all of it is new
          </>
        )}
        {' · '}<Link href={`/wiki/${page.entity.slug}/history`}>History</Link>
      </p>
      <DiffView type={page.entity.type} diff={page.diff} view={mode} targetTitles={page.targetTitles} toggleHref={toggle} />
    </div>
  );
}
