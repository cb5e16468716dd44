import { and, asc, eq, inArray, ne, or } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '@/db/client';
import { entities, entityLinks, type CitationRef } from '@/db/schema';
import { readableBy, type Reader } from './visibility';

export type Relation = {
  predicate: string;
  direction: 'out' | 'in';
  qualifiers: { date?: string; role?: string };
  citations: CitationRef[];
  other: { id: string; slug: string; title: string; type: string };
};

const other = alias(entities, 'other');
const otherCols = { id: other.id, slug: other.slug, title: other.title, type: other.type };

/** The entity's statements in both directions: what it says of others, and what others say of it. */
export async function entityRelations(db: Db, reader: Reader, entityId: string): Promise<Relation[]> {
  const cols = { predicate: entityLinks.predicate, qualifiers: entityLinks.qualifiers, citations: entityLinks.citations, position: entityLinks.position };
  const [outgoing, incoming] = await Promise.all([
    db.select({ ...cols, other: otherCols }).from(entityLinks).innerJoin(other, eq(other.id, entityLinks.toId)).where(and(eq(entityLinks.fromId, entityId), ne(entityLinks.predicate, 'link'), readableBy(reader, other))).orderBy(asc(entityLinks.position)),
    db.select({ ...cols, other: otherCols }).from(entityLinks).innerJoin(other, eq(other.id, entityLinks.fromId)).where(and(eq(entityLinks.toId, entityId), ne(entityLinks.predicate, 'link'), readableBy(reader, other))).orderBy(asc(other.title)),
  ]);
  return [...outgoing.map((r) => ({ ...r, direction: 'out' as const })), ...incoming.map((r) => ({ ...r, direction: 'in' as const }))];
}

/** "What links here": every entity with a statement about, or a body link to, this one. */
export async function entityBacklinks(db: Db, reader: Reader, entityId: string) {
  const rows = await db
    .selectDistinct({ id: entities.id, slug: entities.slug, title: entities.title, type: entities.type, summary: entities.summary })
    .from(entityLinks)
    .innerJoin(entities, eq(entities.id, entityLinks.fromId))
    .where(and(eq(entityLinks.toId, entityId), readableBy(reader, entities)))
    .orderBy(asc(entities.title));
  return rows;
}

export type GraphData = {
  nodes: { id: string; slug: string; title: string; type: string; hop: number }[];
  edges: { from: string; to: string; predicate: string }[];
};

/** The neighbourhood of an entity up to `hops` statements away (either direction), capped at `maxNodes`. */
export async function entityNeighbourhood(db: Db, reader: Reader, entityId: string, hops = 2, maxNodes = 80): Promise<GraphData> {
  const hopOf = new Map<string, number>([[entityId, 0]]);
  let frontier = [entityId];
  for (let hop = 1; hop <= hops && frontier.length && hopOf.size < maxNodes; hop++) {
    const links = await db
      .select({ fromId: entityLinks.fromId, toId: entityLinks.toId })
      .from(entityLinks)
      .where(and(ne(entityLinks.predicate, 'link'), or(inArray(entityLinks.fromId, frontier), inArray(entityLinks.toId, frontier))));
    const next: string[] = [];
    for (const l of links) {
      for (const id of [l.fromId, l.toId]) {
        if (!hopOf.has(id) && hopOf.size < maxNodes) {
          hopOf.set(id, hop);
          next.push(id);
        }
      }
    }
    frontier = next;
  }
  const candidates = [...hopOf.keys()];
  const nodes = await db
    .select({ id: entities.id, slug: entities.slug, title: entities.title, type: entities.type })
    .from(entities)
    .where(and(inArray(entities.id, candidates), readableBy(reader, entities)));
  const ids = nodes.map((n) => n.id);
  const [edges] = await Promise.all([
    db
      .selectDistinct({ from: entityLinks.fromId, to: entityLinks.toId, predicate: entityLinks.predicate })
      .from(entityLinks)
      .where(and(ne(entityLinks.predicate, 'link'), inArray(entityLinks.fromId, ids), inArray(entityLinks.toId, ids))),
  ]);
  return { nodes: nodes.map((n) => ({ ...n, hop: hopOf.get(n.id) ?? hops })), edges };
}
