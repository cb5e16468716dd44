import type { Metadata } from 'next';
import Link from 'next/link';
import { loadRevisionPage } from '@/server/loaders/revisions';
import type { DocNode } from '@/components/entity/DocBody';
import { ArticleBody } from '@/components/entity/ArticleBody';
import { TypeBadge } from '@/components/entity/TypeBadge';
import { CiteBox } from '@/components/revisions/CiteBox';
import { RestoreButton } from '@/components/revisions/RestoreButton';
import { formatTimestamp, KIND_LABELS } from '@/components/revisions/format';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const page = await loadRevisionPage((await params).id);
  return { title: `${page.title} (revision ${page.revision.number})` };
}

export default async function RevisionPage({ params }: Props) {
  const page = await loadRevisionPage((await params).id);
  const { revision, entity, total } = page;
  const isLatest = page.latestId === revision.id;
  return (
    <div className="space-y-4">
      <div role="note" className={`rounded border px-4 py-3 text-sm ${isLatest ? 'border-emerald-300 bg-emerald-50' : 'border-amber-300 bg-amber-50'}`}>
        <p>
          This is <strong>revision {revision.number} of {total}</strong> of “{entity.title}”, {formatTimestamp(revision.createdAt)}
          {revision.authors.length > 0 && <> by {revision.authors.map((a) => a.username).join(', ')}</>} ({KIND_LABELS[revision.kind]}
          {revision.summary && <>: <em>{revision.summary}</em></>}). {isLatest ? 'It is the latest revision.' : 'The page may have changed since.'}
        </p>
        <p className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
          <Link href={`/wiki/${entity.slug}`}>View current</Link>
          {!isLatest && <Link href={`/revisions/${page.latestId}/diff?against=${revision.id}`}>Changes since</Link>}
          <Link href={`/revisions/${revision.id}/diff`}>Changes in this revision</Link>
          <Link href={`/wiki/${entity.slug}/history`}>History</Link>
          <span>Permanent link: <a href={page.permalink}>{page.permalink}</a></span>
          <span>sha256 <code className="text-xs break-all">{revision.sha256}</code></span>
        </p>
        {page.canRestore && <div className="mt-2"><RestoreButton entityId={entity.id} revisionId={revision.id} number={revision.number} slug={entity.slug} /></div>}
      </div>
      <article className="bg-white border border-line rounded p-4 sm:p-6">
        <header className="mb-4 border-b border-line pb-3 flex flex-wrap items-center gap-3">
          <h1 className="font-serif text-3xl sm:text-4xl wrap-anywhere">{page.title}</h1>
          <TypeBadge type={entity.type} />
        </header>
        <ArticleBody
          type={entity.type}
          title={page.title}
          fields={page.content.fields}
          body={page.content.body as DocNode}
          linkedEntities={page.linkedEntities}
          fieldLinks={page.fieldLinks}
          refNumbers={page.refNumbers}
          references={page.references}
          relations={page.relations}
          relationsHeading="Relations (in this revision)"
          noText="This revision has no text."
        />
      </article>
      <CiteBox revisionId={revision.id} citations={page.citations} />
    </div>
  );
}
