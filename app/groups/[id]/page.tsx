import type { Metadata } from 'next';
import Link from 'next/link';
import { loadGroupPage } from '@/server/loaders/groups';
import { MemberManager } from '@/components/groups/MemberManager';
import { TypeBadge } from '@/components/entity/TypeBadge';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Group' };

export default async function GroupPage({ params }: { params: Promise<{ id: string }> }) {
  const { group, members, entities, canManage, me, myRole } = await loadGroupPage((await params).id);
  return (
    <div className="max-w-4xl space-y-6">
      <header>
        <p className="text-sm text-muted">Group{myRole ? ` · you are ${myRole === 'owner' ? 'an owner' : `a ${myRole}`}` : ''}</p>
        <h1 className="font-serif text-3xl">{group.name}</h1>
      </header>
      <section aria-labelledby="members-heading" className="bg-white border border-line rounded p-4">
        <h2 id="members-heading" className="font-serif text-2xl mb-2">Members</h2>
        <MemberManager groupId={group.id} members={members} canManage={canManage} me={me} />
      </section>
      <section aria-labelledby="entities-heading" className="bg-white border border-line rounded p-4">
        <div className="flex items-center justify-between mb-2">
          <h2 id="entities-heading" className="font-serif text-2xl">The group’s pages</h2>
          {(myRole === 'owner' || myRole === 'editor') && <Link href={`/new?group=${group.id}`}>New page in this group</Link>}
        </div>
        {entities.length ? (
          <ul className="divide-y divide-line">
            {entities.map((e) => (
              <li key={e.id} className="flex flex-wrap items-center gap-2 py-2">
                <Link href={`/wiki/${e.slug}`}>{e.title}</Link>
                <TypeBadge type={e.type} />
                <span className="text-xs text-muted">{e.visibility === 'group' ? 'group only' : 'public'}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-muted text-sm">No pages yet.</p>
        )}
      </section>
    </div>
  );
}
