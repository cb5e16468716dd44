import Link from 'next/link';
import { getDb } from '@/db/client';
import { countEntitiesByType, recentlyUpdatedEntities } from '@/db/queries/entities';
import { listSources } from '@/db/queries/sources';
import { TYPE_INFO, ENTITY_TYPES } from '@/components/model/entity-types';
import { EntityCardList } from '@/components/entity/EntityCardList';
import { SearchBox } from '@/components/layout/SearchBox';
import { currentViewer } from '@/server/auth/request';

export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const db = getDb();
  const viewer = await currentViewer();
  const [counts, recent, sources] = await Promise.all([countEntitiesByType(db, viewer), recentlyUpdatedEntities(db, viewer), listSources(db)]);
  return (
    <div className="space-y-8">
      <section className="bg-white border border-line rounded p-6">
        <h1 className="font-serif text-3xl sm:text-4xl mb-2">Annals</h1>
        <p className="text-lg text-muted max-w-3xl mb-4">
          A shared wiki of the people, parties, treaties and events of Soviet and Chinese foreign policy. Entries link to each other, every claim quotes its
          source, and any revision can be cited in coursework.
        </p>
        <div className="max-w-xl">
          <SearchBox />
        </div>
      </section>

      <section aria-labelledby="browse-heading">
        <h2 id="browse-heading" className="font-serif text-2xl mb-3">Browse</h2>
        <ul className="grid grid-cols-2 sm:grid-cols-3 lg:grid-cols-5 gap-3">
          {ENTITY_TYPES.map((type) => (
            <li key={type}>
              <Link href={TYPE_INFO[type].path} className="block bg-white border border-line rounded p-4 no-underline hover:border-accent">
                <span className="block text-2xl font-semibold text-ink">{counts[type] ?? 0}</span>
                <span className="text-accent">{TYPE_INFO[type].plural}</span>
              </Link>
            </li>
          ))}
        </ul>
        <p className="mt-3 text-sm">
          Or see the <Link href="/timeline">timeline of events</Link>.
        </p>
      </section>

      <div className="grid gap-8 lg:grid-cols-3">
        <section aria-labelledby="recent-heading" className="lg:col-span-2">
          <h2 id="recent-heading" className="font-serif text-2xl mb-3">Recently updated</h2>
          {recent.length ? <EntityCardList entities={recent} /> : <p className="text-muted">No entries yet.</p>}
        </section>
        <section aria-labelledby="sources-heading">
          <h2 id="sources-heading" className="font-serif text-2xl mb-3">Source documents</h2>
          <ul className="space-y-3">
            {sources.map((s) => (
              <li key={s.id} className="bg-white border border-line rounded p-3">
                <Link href={`/sources/${s.id}`} className="font-medium">{s.title}</Link>
                <p className="text-sm text-muted">{[s.author, s.kind].filter(Boolean).join(' · ')}</p>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
