import Link from 'next/link';
import { headers } from 'next/headers';
import { getDb } from '@/db/client';
import { searchEntities } from '@/db/queries/search';
import { SearchBox } from '@/components/layout/SearchBox';
import { EntityCardList } from '@/components/entity/EntityCardList';
import { currentViewer } from '@/server/auth/request';

/** An unknown entity: suggest the closest pages by name and text ("did you mean"). */
export default async function EntityNotFound() {
  // The custom server passes the requested path along (not-found pages get no params).
  const path = (await headers()).get('x-kb-path') ?? '';
  const wanted = decodeURIComponent(path.replace(/^\/wiki\//, '').split(/[/?#]/)[0] ?? '').replace(/[-_]+/g, ' ').slice(0, 200);
  const suggestions = wanted ? await searchEntities(getDb(), await currentViewer(), wanted, 6) : [];
  return (
    <div className="max-w-3xl space-y-4">
      <h1 className="font-serif text-3xl">No page called “{wanted || 'this'}”</h1>
      {suggestions.length > 0 ? (
        <>
          <p>Did you mean:</p>
          <EntityCardList entities={suggestions} />
        </>
      ) : (
        <p className="text-muted">Nothing similar was found.</p>
      )}
      <SearchBox defaultValue={wanted} />
      <p className="text-sm">
        <Link href="/">Back to the home page</Link>
      </p>
    </div>
  );
}
