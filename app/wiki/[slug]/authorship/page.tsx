import type { Metadata } from 'next';
import Link from 'next/link';
import { loadAuthorshipPage } from '@/server/loaders/authorship';
import { AuthorshipView } from '@/components/entity/AuthorshipView';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Authorship' };

type Props = { params: Promise<{ slug: string }> };

export default async function AuthorshipPage({ params }: Props) {
  const { entity, authorship, unavailable, targets } = await loadAuthorshipPage(decodeURIComponent((await params).slug));
  return (
    <div className="space-y-4">
      <h1 className="font-serif text-3xl">
        Who wrote <Link href={`/wiki/${entity.slug}`}>{entity.title}</Link>
      </h1>
      <p className="text-sm text-muted">
        The page as it is now, each passage marked with the account that typed it. Earlier versions are in the{' '}
        <Link href={`/wiki/${entity.slug}/history`}>history</Link>.
      </p>
      {authorship ? (
        <AuthorshipView type={entity.type} authorship={authorship} targets={targets} />
      ) : (
        <p role="status" className="rounded border border-amber-300 bg-amber-50 px-4 py-3 text-sm">
          {unavailable}
        </p>
      )}
    </div>
  );
}
