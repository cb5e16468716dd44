import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { entities, entityCitations, sources } from '@/db/schema';
import { readableBy, type Reader } from './visibility';

/** Source documents without their text. */
export async function listSources(db: Db) {
  return db
    .select({ id: sources.id, title: sources.title, author: sources.author, publisher: sources.publisher, kind: sources.kind, dateText: sources.dateText, description: sources.description, sha256: sources.sha256 })
    .from(sources)
    .orderBy(asc(sources.fileName));
}

/** One source with its full text; null when unknown. */
export async function findSource(db: Db, id: string) {
  const [row] = await db.select().from(sources).where(eq(sources.id, id));
  return row ?? null;
}

export type CitedPassage = { start: number; end: number; quote: string; entities: { id: string; slug: string; title: string; type: string }[] };

/** Every cited passage of a source in text order, each with the entities that cite it. */
export async function citedPassages(db: Db, reader: Reader, sourceId: string): Promise<CitedPassage[]> {
  const rows = await db
    .select({ start: entityCitations.start, end: entityCitations.end, quote: entityCitations.quote, id: entities.id, slug: entities.slug, title: entities.title, type: entities.type })
    .from(entityCitations)
    .innerJoin(entities, eq(entities.id, entityCitations.entityId))
    .where(and(eq(entityCitations.sourceId, sourceId), readableBy(reader, entities)))
    .orderBy(asc(entityCitations.start), asc(entityCitations.end), asc(entities.title));
  const passages = new Map<string, CitedPassage>();
  for (const r of rows) {
    const key = `${r.start}:${r.end}`;
    const passage = passages.get(key) ?? { start: r.start, end: r.end, quote: r.quote, entities: [] };
    if (!passage.entities.some((e) => e.id === r.id)) passage.entities.push({ id: r.id, slug: r.slug, title: r.title, type: r.type });
    passages.set(key, passage);
  }
  return [...passages.values()];
}
