import type { Metadata } from 'next';
import { loadContributions } from '@/server/loaders/recent';
import { ChangeList } from '@/components/revisions/ChangeList';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Contributions' };

export default async function ContributionsPage({ params }: { params: Promise<{ username: string }> }) {
  const { user, items } = await loadContributions(decodeURIComponent((await params).username));
  return (
    <div className="space-y-4">
      <h1 className="font-serif text-3xl">Contributions of {user.username}</h1>
      <p className="text-sm text-muted">Revisions {user.username} wrote in or saved, newest first.</p>
      <ChangeList items={items} />
    </div>
  );
}
