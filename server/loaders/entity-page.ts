import { cache } from 'react';
import { getDb, type Db } from '@/db/client';
import { notFound } from 'next/navigation';
import { entityCardsByIds, findEntity, findEntityRef, pagesNamed } from '@/db/queries/entities';
import { namesInFields } from '@/components/model/entity-types';
import { normalizeName } from '@/components/model/names';
import type { InfoboxLinks } from '@/components/entity/Infobox';
import { entityBacklinks, entityRelations } from '@/db/queries/relations';
import { findGroup, listGroupsOf } from '@/db/queries/groups';
import type { BodyJson } from '@/db/schema';
import { numberReferences } from './references';
import { bodyCitations, bodyEntityLinks } from '@/server/docs/body-text';
import { canEditEntity, canManageEntity, canReadEntity } from '@/server/policies/entity';
import type { Viewer } from '@/server/auth/viewer';
import { currentViewer } from '@/server/auth/request';
import { getCollab } from '@/server/collab/registry';

/** An entity by id or slug, read once per request however many parts of a page ask for it (its metadata and the page). */
export const requestEntity = cache((idOrSlug: string) => findEntity(getDb(), idOrSlug));

/** For a page about an entity (history, authorship): the viewer and the entity's names and access, read together; 404 when the viewer may not read it. */
export async function readablePageEntity(slug: string) {
  const [viewer, entity] = await Promise.all([currentViewer(), findEntityRef(getDb(), slug)]);
  if (!entity || !canReadEntity(viewer, entity)) notFound();
  return { viewer, entity };
}

/**
 * The pages an infobox's names lead to (see `namesInFields`), by what the names name and their
 * normalized form, for the Infobox's `links`: a name leads to a page when it names exactly one
 * the viewer may read (a place by its title), and never to the page itself.
 */
export async function infoboxLinks(db: Db, viewer: Viewer, entity: { id: string; type: string }, fields: Record<string, unknown>): Promise<InfoboxLinks> {
  const names = namesInFields(entity.type, fields);
  const named = await pagesNamed(db, viewer, [...names.name, ...names.place]);
  const links = (wanted: string[], titlesOnly: boolean) => {
    const norms = new Set(wanted.map(normalizeName));
    const found = new Map<string, (typeof named)[number] | null>(); // null: several pages have the name
    for (const page of named) {
      if (norms.has(page.norm) && (page.isTitle || !titlesOnly)) found.set(page.norm, found.has(page.norm) ? null : page);
    }
    return Object.fromEntries([...found].flatMap(([norm, page]) => (page && page.id !== entity.id ? [[norm, { slug: page.slug, title: page.title }]] : [])));
  };
  return { name: links(names.name, false), place: links(names.place, true) };
}

/** Everything an entity page shows, from the projections; null when no entity has that id or slug, or the viewer may not read it. */
export async function loadEntityPage(db: Db, viewer: Viewer, idOrSlug: string) {
  let entity = await findEntity(db, idOrSlug);
  if (!entity || !canReadEntity(viewer, entity)) return null;
  // A reader may come from the page's editor or live view ("Done: view page") with the last words
  // typed there a moment ago: the page shows them, not the projection of a moment before. (A doc
  // no one has open costs nothing here.)
  if (await getCollab().projected(entity.id).catch(() => false)) entity = (await findEntity(db, entity.id)) ?? entity;
  const body = entity.body as BodyJson;
  const [relations, backlinks, linked, fieldLinks, group, myGroups] = await Promise.all([
    entityRelations(db, viewer, entity.id),
    entityBacklinks(db, viewer, entity.id),
    entityCardsByIds(db, viewer, bodyEntityLinks(body)),
    infoboxLinks(db, viewer, entity, entity.fields as Record<string, unknown>),
    entity.groupId ? findGroup(db, entity.groupId) : null,
    viewer.user ? listGroupsOf(db, viewer.user.id) : [],
  ]);
  // References are numbered in reading order: the body first, then the relations' citations.
  const { refNumbers, references } = await numberReferences(db, [...bodyCitations(body), ...relations.flatMap((r) => r.citations)]);
  return {
    entity,
    relations,
    backlinks,
    linkedEntities: Object.fromEntries(linked.map((e) => [e.id, { slug: e.slug, title: e.title }])),
    fieldLinks,
    refNumbers,
    references,
    group: group ? { id: group.id, name: group.name } : null,
    /** Groups the viewer may move the page into (editor or owner there). */
    editableGroups: myGroups.filter((g) => g.role !== 'viewer').map((g) => ({ id: g.id, name: g.name })),
    isAdmin: viewer.isAdmin,
    signedIn: Boolean(viewer.user),
    canEdit: canEditEntity(viewer, entity),
    canManage: canManageEntity(viewer, entity),
  };
}
