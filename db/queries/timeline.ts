import { and, asc, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '@/db/client';
import { entities, entityLinks } from '@/db/schema';
import { entityCard } from './entities';
import { readableBy, type Reader } from './visibility';

/** Events in date order; with `involving`, only those linked (either way) to every one of those entities. */
export async function timelineEvents(db: Db, reader: Reader, involving: string[]) {
  const involvement = involving.map(
    (id) => sql`exists (select 1 from ${entityLinks} l where (l.from_id = ${id} and l.to_id = ${entities.id}) or (l.to_id = ${id} and l.from_id = ${entities.id}))`,
  );
  return db
    .select(entityCard)
    .from(entities)
    .where(and(eq(entities.type, 'event'), isNotNull(entities.sortDate), readableBy(reader, entities), ...involvement))
    .orderBy(asc(entities.sortDate), asc(entities.title));
}

/** The people and parties linked to at least one event: the timeline's filter options. */
export async function timelineActors(db: Db, reader: Reader) {
  const event = alias(entities, 'event');
  const actor = alias(entities, 'actor');
  return db
    .selectDistinct({ id: actor.id, slug: actor.slug, title: actor.title, type: actor.type })
    .from(entityLinks)
    .innerJoin(event, or(eq(event.id, entityLinks.toId), eq(event.id, entityLinks.fromId)))
    .innerJoin(actor, and(or(eq(actor.id, entityLinks.fromId), eq(actor.id, entityLinks.toId)), sql`${actor.id} <> ${event.id}`))
    .where(and(eq(event.type, 'event'), inArray(actor.type, ['person', 'party']), readableBy(reader, actor), readableBy(reader, event)))
    .orderBy(asc(actor.title));
}
