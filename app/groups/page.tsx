import type { Metadata } from 'next';
import Link from 'next/link';
import { loadGroupsPage } from '@/server/loaders/groups';
import { CreateGroupForm } from '@/components/groups/CreateGroupForm';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Your groups' };

export default async function GroupsPage() {
  const { groups } = await loadGroupsPage();
  return (
    <div className="max-w-3xl space-y-4">
      <h1 className="font-serif text-3xl">Your groups</h1>
      {groups.length ? (
        <ul className="divide-y divide-line bg-white border border-line rounded">
          {groups.map((g) => (
            <li key={g.id} className="flex items-center justify-between p-3">
              <Link href={`/groups/${g.id}`} className="font-medium">{g.name}</Link>
              <span className="text-sm text-muted">{g.role}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-muted">You are not in any group yet. Create one, or ask a group owner to add you.</p>
      )}
      <CreateGroupForm />
    </div>
  );
}
