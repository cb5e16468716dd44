import type { Metadata } from 'next';
import Link from 'next/link';
import { loadTimeline } from '@/server/loaders/timeline';
import { Timeline } from '@/components/timeline/Timeline';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Timeline of events' };

export default async function TimelinePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { events, person, party, people, parties } = await loadTimeline(await searchParams);
  return (
    <div className="space-y-4">
      <h1 className="font-serif text-3xl">Timeline of events</h1>
      <form method="get" action="/timeline" className="flex flex-wrap items-end gap-3 bg-white border border-line rounded p-3">
        <label className="flex flex-col text-sm">
          <span className="text-muted">Involving person</span>
          <select name="person" defaultValue={person?.slug ?? ''} className="border border-line rounded px-2 py-1 bg-white max-w-[16rem]">
            <option value="">Anyone</option>
            {people.map((p) => <option key={p.id} value={p.slug}>{p.title}</option>)}
          </select>
        </label>
        <label className="flex flex-col text-sm">
          <span className="text-muted">Involving party or organisation</span>
          <select name="party" defaultValue={party?.slug ?? ''} className="border border-line rounded px-2 py-1 bg-white max-w-[16rem]">
            <option value="">Any</option>
            {parties.map((p) => <option key={p.id} value={p.slug}>{p.title}</option>)}
          </select>
        </label>
        <button type="submit" className="bg-accent text-white rounded px-4 py-1.5">Filter</button>
        {(person || party) && <Link href="/timeline" className="text-sm">Show all events</Link>}
      </form>
      <p className="text-sm text-muted" aria-live="polite">
        {events.length} events{person ? ` involving ${person.title}` : ''}{party ? `${person ? ' and' : ' involving'} ${party.title}` : ''}, ordered by date.
      </p>
      <Timeline events={events} />
    </div>
  );
}
