import type { Metadata } from 'next';
import { cache } from 'react';
import Link from 'next/link';
import { notFound, permanentRedirect } from 'next/navigation';
import { getDb } from '@/db/client';
import { findEntityByName } from '@/db/queries/entities';
import { loadEntityPage } from '@/server/loaders/entity-page';
import type { DocNode } from '@/components/entity/DocBody';
import { ArticleBody } from '@/components/entity/ArticleBody';
import { EntityCardList } from '@/components/entity/EntityCardList';
import { TypeBadge } from '@/components/entity/TypeBadge';
import { currentViewer } from '@/server/auth/request';
import { EntitySettings } from '@/components/entity/EntitySettings';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ slug: string }> };

/** The page's data, loaded once per request (the metadata and the page both ask for it). */
const loadPage = cache(async (decoded: string) => loadEntityPage(getDb(), await currentViewer(), decoded));

async function load(slug: string) {
  const decoded = decodeURIComponent(slug);
  const page = await loadPage(decoded);
  if (page) {
    if (page.entity.slug !== decoded) permanentRedirect(`/wiki/${page.entity.slug}`);
    return page;
  }
  // Another spelling the texts use (an alias) leads to the entity.
  const byName = await findEntityByName(getDb(), await currentViewer(), decoded.replace(/[-_]+/g, ' '));
  if (byName) permanentRedirect(`/wiki/${byName.slug}`);
  notFound();
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const page = await loadPage(decodeURIComponent((await params).slug));
  return page ? { title: page.entity.title, description: page.entity.summary.slice(0, 200) } : { title: 'Not found' };
}

export default async function EntityPage({ params }: Props) {
  const { entity, relations, backlinks, linkedEntities, fieldLinks, refNumbers, references, group, editableGroups, isAdmin, canManage, canEdit, signedIn } = await load((await params).slug);
  return (
    <article className="bg-white border border-line rounded p-4 sm:p-6">
      <header className="mb-4 border-b border-line pb-3">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="font-serif text-3xl sm:text-4xl wrap-anywhere">{entity.title}</h1>
          <TypeBadge type={entity.type} />
        </div>
        <p className="mt-1 text-sm text-muted">
          {group ? (
            <>
              Page of the group <Link href={`/groups/${group.id}`}>{group.name}</Link> · {entity.visibility === 'group' ? 'readable by the group only' : 'readable by everyone'}
            </>
          ) : (
            'In the commons · any signed-in user can edit'
          )}
          {entity.protected && <span className="ml-2 rounded bg-amber-100 px-1.5 text-amber-900">protected: admins edit</span>}
        </p>
        <nav aria-label="Page tools" className="mt-2 text-sm flex flex-wrap gap-4">
          {/* Anyone may go to the editor: it asks anonymous readers to sign in, and shows others a live read-only view. */}
          <Link href={`/wiki/${entity.slug}/edit`}>{canEdit || !signedIn ? 'Edit' : 'Live view'}</Link>
          <Link href={`/wiki/${entity.slug}/history`}>History</Link>
          <Link href={`/wiki/${entity.slug}/authorship`}>Who wrote this</Link>
          <Link href={`/wiki/${entity.slug}/graph`}>Relation graph</Link>
        </nav>
        {canManage && (
          <div className="mt-2">
            <EntitySettings entityId={entity.id} current={{ groupId: entity.groupId, visibility: entity.visibility, protected: entity.protected }} groups={editableGroups} isAdmin={isAdmin} />
          </div>
        )}
      </header>
      <ArticleBody
        type={entity.type}
        title={entity.title}
        fields={entity.fields}
        body={entity.body as DocNode}
        linkedEntities={linkedEntities}
        fieldLinks={fieldLinks}
        refNumbers={refNumbers}
        references={references}
        relations={relations}
        childSections={[{ id: 'links-heading', text: 'What links here' }]}
        noText={
          canEdit ? (
            <>
              This page has no text yet. <Link href={`/wiki/${entity.slug}/edit`}>Write some</Link>.
            </>
          ) : (
            'This page has no text yet.'
          )
        }
      >
        <section aria-labelledby="links-heading">
          <h2 id="links-heading" className="font-serif text-2xl border-b border-line mb-3">What links here</h2>
          {backlinks.length ? <EntityCardList entities={backlinks} /> : <p className="text-muted text-sm">No other page links here yet.</p>}
        </section>
      </ArticleBody>
    </article>
  );
}
