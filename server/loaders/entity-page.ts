import type { Db } from '@/db/client';
import { entityCardsByIds, findEntity } from '@/db/queries/entities';
import { entityBacklinks, entityRelations } from '@/db/queries/relations';
import { listSources } from '@/db/queries/sources';
import { findGroup, listGroupsOf } from '@/db/queries/groups';
import type { BodyJson, CitationRef } from '@/db/schema';
import { bodyCitations, bodyEntityLinks } from '@/server/docs/body-text';
import { canEditEntity, canManageEntity, canReadEntity } from '@/server/policies/entity';
import type { Viewer } from '@/server/auth/viewer';

const key = (c: CitationRef) => `${c.sourceId}:${c.start}:${c.end}`;

/** Everything an entity page shows, from the projections; null when no entity has that id or slug, or the viewer may not read it. */
export async function loadEntityPage(db: Db, viewer: Viewer, idOrSlug: string) {
  const entity = await findEntity(db, idOrSlug);
  if (!entity || !canReadEntity(viewer, entity)) return null;
  const body = entity.body as BodyJson;
  const [relations, backlinks, linked, sources, group, myGroups] = await Promise.all([
    entityRelations(db, viewer, entity.id),
    entityBacklinks(db, viewer, entity.id),
    entityCardsByIds(db, viewer, bodyEntityLinks(body)),
    listSources(db),
    entity.groupId ? findGroup(db, entity.groupId) : null,
    viewer.user ? listGroupsOf(db, viewer.user.id) : [],
  ]);
  // References are numbered in reading order: the body first, then the relations' citations.
  const refNumbers: Record<string, number> = {};
  const references: (CitationRef & { n: number; sourceTitle: string })[] = [];
  const sourceTitle = new Map(sources.map((s) => [s.id, s.title]));
  for (const c of [...bodyCitations(body), ...relations.flatMap((r) => r.citations)]) {
    if (refNumbers[key(c)]) continue;
    refNumbers[key(c)] = references.length + 1;
    references.push({ ...c, n: references.length + 1, sourceTitle: sourceTitle.get(c.sourceId) ?? c.sourceId });
  }
  return {
    entity,
    relations,
    backlinks,
    linkedEntities: Object.fromEntries(linked.map((e) => [e.id, { slug: e.slug, title: e.title }])),
    refNumbers,
    references,
    group: group ? { id: group.id, name: group.name } : null,
    /** Groups the viewer may move the page into (editor or owner there). */
    editableGroups: myGroups.filter((g) => g.role !== 'viewer').map((g) => ({ id: g.id, name: g.name })),
    isAdmin: viewer.isAdmin,
    canEdit: canEditEntity(viewer, entity),
    canManage: canManageEntity(viewer, entity),
  };
}

export type EntityPageData = NonNullable<Awaited<ReturnType<typeof loadEntityPage>>>;
