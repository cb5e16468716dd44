import { and, asc, count, eq, ilike, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { entities } from '@/db/schema';
import type { EntityType } from '@/components/model/entity-types';
import { entityCard, escapeLike } from './entities';
import { readableBy, type Reader } from './visibility';

/** The field each type's index can be filtered by, besides the letter and a name filter. */
export const INDEX_FACETS: Partial<Record<EntityType, { label: string; expr: SQL<string | null> }>> = {
  person: { label: 'Nationality', expr: sql<string | null>`${entities.fields}->>'nationality'` },
  party: { label: 'Kind', expr: sql<string | null>`${entities.fields}->>'kind'` },
  treaty: { label: 'Kind', expr: sql<string | null>`${entities.fields}->>'kind'` },
  event: { label: 'Decade', expr: sql<string | null>`substr(${entities.sortDate}, 1, 3) || '0s'` },
};

export type IndexFilter = { letter?: string; q?: string; facet?: string };

/** One type's entities in title order with the filters applied, and the facet's values with counts. */
export async function loadTypeIndex(db: Db, reader: Reader, type: EntityType, filter: IndexFilter) {
  const facet = INDEX_FACETS[type];
  const where = and(
    eq(entities.type, type),
    readableBy(reader, entities),
    filter.letter ? ilike(entities.title, `${escapeLike(filter.letter)}%`) : undefined,
    filter.q ? ilike(entities.title, `%${escapeLike(filter.q)}%`) : undefined,
    facet && filter.facet ? eq(facet.expr, filter.facet) : undefined,
  );
  const [items, letters, facetValues] = await Promise.all([
    db.select(entityCard).from(entities).where(where).orderBy(asc(entities.title)).limit(1000),
    db.selectDistinct({ letter: sql<string>`upper(left(${entities.title}, 1))` }).from(entities).where(and(eq(entities.type, type), readableBy(reader, entities))),
    facet
      ? db.select({ value: facet.expr, n: count() }).from(entities).where(and(eq(entities.type, type), readableBy(reader, entities), sql`${facet.expr} is not null`)).groupBy(facet.expr).orderBy(facet.expr)
      : Promise.resolve([]),
  ]);
  return {
    items,
    letters: new Set(letters.map((l) => l.letter)),
    facet: facet ? { label: facet.label, values: facetValues.map((v) => ({ value: String(v.value), count: Number(v.n) })) } : null,
  };
}
