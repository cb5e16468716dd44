import type { Metadata } from 'next';
import { getDb } from '@/db/client';
import { searchEntities } from '@/db/queries/search';
import { SearchBox } from '@/components/layout/SearchBox';
import { SearchResults } from '@/components/search/SearchResults';
import { MAX_QUERY_LENGTH } from '@/server/http/limits';
import { currentViewer } from '@/server/auth/request';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Search' };

export default async function SearchPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = (await searchParams).q;
  const q = (Array.isArray(raw) ? raw[0] : raw ?? '').trim();
  const tooLong = q.length > MAX_QUERY_LENGTH;
  const hits = q && !tooLong ? await searchEntities(getDb(), await currentViewer(), q, 30) : [];
  return (
    <div className="max-w-3xl space-y-4">
      <h1 className="font-serif text-3xl">Search</h1>
      <SearchBox defaultValue={tooLong ? q.slice(0, MAX_QUERY_LENGTH) : q} autoFocus={!q} />
      {tooLong && <p role="alert" className="text-red-800">The search text is too long: at most {MAX_QUERY_LENGTH} characters.</p>}
      {q && !tooLong && (
        <p className="text-muted" aria-live="polite">
          {hits.length === 0 ? `No results for “${q}”.` : `${hits.length}${hits.length === 30 ? '+' : ''} results for “${q}”`}
        </p>
      )}
      {hits.length > 0 && <SearchResults hits={hits} />}
    </div>
  );
}
