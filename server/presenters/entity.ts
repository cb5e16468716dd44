import type { Entity } from '@/db/schema';
import type { EntityCard } from '@/db/queries/entities';
import type { Relation } from '@/db/queries/relations';

/** What the API says of an entity in a list. */
export function presentEntityCard(e: EntityCard) {
  return { id: e.id, slug: e.slug, type: e.type, title: e.title, summary: e.summary, url: `/wiki/${e.slug}` };
}

/** What the API says of one entity: its projection, relations both ways, and the body as schema JSON. */
export function presentEntity(e: Entity, relations: Relation[]) {
  const { aliases, ...fields } = e.fields as { aliases?: string[] } & Record<string, unknown>;
  return {
    id: e.id,
    slug: e.slug,
    type: e.type,
    title: e.title,
    aliases: aliases ?? [],
    summary: e.summary,
    fields,
    body: e.body,
    statements: relations.map((r) => ({
      predicate: r.predicate,
      direction: r.direction,
      qualifiers: r.qualifiers,
      citations: r.citations,
      entity: { id: r.other.id, slug: r.other.slug, type: r.other.type, title: r.other.title },
    })),
    groupId: e.groupId,
    visibility: e.visibility,
    protected: e.protected,
    url: `/wiki/${e.slug}`,
    updatedAt: e.updatedAt.toISOString(),
  };
}
