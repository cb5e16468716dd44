import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requestEntity } from '@/server/loaders/entity-page';
import { currentViewer } from '@/server/auth/request';
import { canEditEntity, canReadEntity } from '@/server/policies/entity';
import { isEntityType } from '@/components/model/entity-types';
import { EntityEditor } from '@/components/editor/EntityEditor';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const entity = await requestEntity(decodeURIComponent((await params).slug));
  return { title: entity && canReadEntity(await currentViewer(), entity) ? `Editing ${entity.title}` : 'Not found' };
}

export default async function EditEntityPage({ params }: Props) {
  const viewer = await currentViewer();
  const slug = decodeURIComponent((await params).slug);
  const entity = await requestEntity(slug);
  if (!entity || !canReadEntity(viewer, entity) || !isEntityType(entity.type)) notFound();
  if (!viewer.user) {
    return (
      <div className="max-w-xl space-y-2">
        <h1 className="font-serif text-3xl">Sign in to edit “{entity.title}”</h1>
        <p>
          Anyone with an account can edit pages in the commons. <Link href={`/signin?next=${encodeURIComponent(`/wiki/${entity.slug}/edit`)}`}>Sign in</Link> or{' '}
          <Link href={`/signup?next=${encodeURIComponent(`/wiki/${entity.slug}/edit`)}`}>create an account</Link>.
        </p>
      </div>
    );
  }
  const canEdit = canEditEntity(viewer, entity);
  return (
    <div className="space-y-3">
      <EntityEditor
        entityId={entity.id}
        slug={entity.slug}
        title={entity.title}
        type={entity.type}
        username={viewer.user.username}
        canEdit={canEdit}
        home={{ groupId: entity.groupId, visibility: entity.visibility }}
      >
        {!canEdit && <p className="text-sm text-muted">{entity.protected ? 'This page is protected: only site admins can edit it.' : 'Only the owning group’s editors can edit this page.'} You see others’ changes live.</p>}
      </EntityEditor>
    </div>
  );
}
