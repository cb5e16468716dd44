import * as Y from 'yjs';
import { eq, like, or } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { entities, entityClients, entityDocs, pendingAuthors, type Entity } from '@/db/schema';
import { slugify } from '@/components/model/names';
import type { EntityType } from '@/components/model/entity-types';
import { readEntityDoc } from '@/server/docs/entity-doc';
import { createEntityDoc } from '@/server/docs/create-entity-doc';
import { projectEntity } from '@/server/docs/projection';
import { announceAuthChange } from '@/server/auth/events';
import { ApiError } from '@/server/http/api';
import { createRevision } from '@/server/revisions/store';

/** A slug for a new title that no entity uses yet: `title`, `title-2`, `title-3`… */
async function freeSlug(db: Db, title: string): Promise<string> {
  const base = slugify(title);
  const taken = new Set(
    (await db.select({ slug: entities.slug }).from(entities).where(or(eq(entities.slug, base), like(entities.slug, `${base}-%`)))).map((r) => r.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export type NewEntity = { type: EntityType; title: string; groupId: string | null; visibility: 'public' | 'group'; createdBy: string };

/** Creates an entity with its Y.Doc (title only, empty body), created once here on the server. */
export async function createEntity(db: Db, input: NewEntity): Promise<Entity> {
  if (input.visibility === 'group' && !input.groupId) throw new ApiError('bad_request', 'visibility: a commons entity is public; choose a group to make it group-only.');
  return db.transaction(async (tx) => {
    const slug = await freeSlug(tx, input.title);
    const [row] = await tx.insert(entities).values({ slug, type: input.type, title: input.title, groupId: input.groupId, visibility: input.visibility }).returning();
    const doc = createEntityDoc({ fields: { title: input.title }, statements: [], body: { type: 'doc', content: [{ type: 'paragraph' }] } });
    await tx.insert(entityDocs).values({ entityId: row.id, state: Y.encodeStateAsUpdate(doc), stateVector: Y.encodeStateVector(doc) });
    // The creator typed the title: the doc's first content is theirs (authorship), and the first revision's author.
    await tx.insert(entityClients).values({ entityId: row.id, clientId: doc.clientID, userId: input.createdBy });
    await tx.insert(pendingAuthors).values({ entityId: row.id, userId: input.createdBy });
    const content = readEntityDoc(doc);
    await projectEntity(tx, row.id, input.type, content);
    await createRevision(tx, row.id, { kind: 'manual', summary: 'Created the page', content, createdBy: input.createdBy });
    doc.destroy();
    const [created] = await tx.select().from(entities).where(eq(entities.id, row.id));
    return created;
  });
}

export type EntitySettings = { groupId?: string | null; visibility?: 'public' | 'group'; protected?: boolean };

/** Changes who owns an entity, who may read it, and whether it is protected. */
export async function updateEntitySettings(db: Db, entity: Entity, settings: EntitySettings): Promise<Entity> {
  const groupId = settings.groupId === undefined ? entity.groupId : settings.groupId;
  const visibility = settings.visibility ?? (groupId ? entity.visibility : 'public');
  if (visibility === 'group' && !groupId) throw new ApiError('bad_request', 'visibility: a commons entity is public; choose a group to make it group-only.');
  const [updated] = await db
    .update(entities)
    .set({ groupId, visibility, protected: settings.protected ?? entity.protected })
    .where(eq(entities.id, entity.id))
    .returning();
  announceAuthChange({ kind: 'entity', id: entity.id });
  return updated;
}
