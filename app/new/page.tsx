import type { Metadata } from 'next';
import { getDb } from '@/db/client';
import { listGroupsOf } from '@/db/queries/groups';
import { requireSignedIn } from '@/server/loaders/account';
import { NewEntityForm } from '@/components/entity/NewEntityForm';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'New page' };

export default async function NewEntityPage({ searchParams }: { searchParams: Promise<{ group?: string; title?: string }> }) {
  const { group, title } = await searchParams;
  const { user } = await requireSignedIn(`/new${group ? `?group=${encodeURIComponent(group)}` : ''}`);
  const groups = (await listGroupsOf(getDb(), user.id)).filter((g) => g.role !== 'viewer');
  return <NewEntityForm groups={groups} defaultGroup={groups.some((g) => g.id === group) ? group! : ''} defaultTitle={(title ?? '').slice(0, 200)} />;
}
