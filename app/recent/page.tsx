import type { Metadata } from 'next';
import Link from 'next/link';
import { loadRecentChanges } from '@/server/loaders/recent';
import { ChangeList } from '@/components/revisions/ChangeList';
import { ENTITY_TYPES, TYPE_INFO } from '@/components/model/entity-types';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Recent changes' };

export default async function RecentChangesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { items, filter, groups, unknownUser } = await loadRecentChanges(await searchParams);
  const last = items.at(-1);
  return (
    <div className="space-y-4">
      <h1 className="font-serif text-3xl">Recent changes</h1>
      <form method="get" action="/recent" className="flex flex-wrap items-end gap-3 bg-white border border-line rounded p-3 text-sm">
        <label className="flex flex-col"><span className="text-muted">Type</span>
          <select name="type" defaultValue={filter.type ?? ''} className="border border-line rounded px-2 py-1 bg-white">
            <option value="">All</option>
            {ENTITY_TYPES.map((t) => <option key={t} value={t}>{TYPE_INFO[t].plural}</option>)}
          </select>
        </label>
        {groups.length > 0 && (
          <label className="flex flex-col"><span className="text-muted">Group</span>
            <select name="group" defaultValue={filter.group ?? ''} className="border border-line rounded px-2 py-1 bg-white">
              <option value="">Any</option>
              {groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
            </select>
          </label>
        )}
        <label className="flex flex-col"><span className="text-muted">User</span>
          <input name="user" defaultValue={filter.user ?? ''} maxLength={32} className="border border-line rounded px-2 py-1" />
        </label>
        <button type="submit" className="bg-accent text-white rounded px-4 py-1.5">Filter</button>
      </form>
      {unknownUser && <p role="alert">There is no user called “{filter.user}”.</p>}
      <ChangeList items={items} />
      {items.length === 50 && last && (
        <Link href={`/recent?${new URLSearchParams({ ...(filter.type ? { type: filter.type } : {}), ...(filter.group ? { group: filter.group } : {}), ...(filter.user ? { user: filter.user } : {}), before: last.createdAt.toISOString() })}`}>Older changes</Link>
      )}
    </div>
  );
}
