import { getDb } from '@/db/client';
import { timelineActors, timelineEvents } from '@/db/queries/timeline';
import { currentViewer } from '@/server/auth/request';

type SearchParams = Record<string, string | string[] | undefined>;

/** The timeline page: events, filtered by `?person=<slug>&party=<slug>`, and the filter options. */
export async function loadTimeline(searchParams: SearchParams) {
  const db = getDb();
  const viewer = await currentViewer();
  const actors = await timelineActors(db, viewer);
  const pick = (key: string) => {
    const value = searchParams[key];
    const slug = Array.isArray(value) ? value[0] : value;
    return actors.find((a) => a.slug === slug && a.type === key) ?? null;
  };
  const person = pick('person');
  const party = pick('party');
  const events = await timelineEvents(db, viewer, [person?.id, party?.id].filter((id): id is string => Boolean(id)));
  return { events, person, party, people: actors.filter((a) => a.type === 'person'), parties: actors.filter((a) => a.type === 'party') };
}
