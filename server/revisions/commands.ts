import type { Db } from '@/db/client';
import type { Revision } from '@/db/schema';
import { ApiError } from '@/server/http/api';
import { getCollab, unavailableAsApiError } from '@/server/collab/registry';
import { createRevision, revisionContent } from './store';

/** "Save revision": the entity's live content, as persisted, recorded with the user's summary. */
export async function saveRevision(db: Db, entityId: string, userId: string, summary: string) {
  const content = await getCollab().currentContent(entityId).catch(unavailableAsApiError);
  if (!content) throw new ApiError('not_found', 'No entity with that id');
  return createRevision(db, entityId, { kind: 'manual', summary, content, createdBy: userId });
}

/**
 * Restores an old revision: its content is applied to the live doc as a normal edit (open
 * editors see it at once), then recorded as a `restore` revision pointing at its source.
 */
export async function restoreRevision(db: Db, entityId: string, source: Revision, userId: string) {
  const content = await revisionContent(db, source);
  const applied = await getCollab().restoreContent(entityId, userId, content).catch(unavailableAsApiError);
  if (!applied) throw new ApiError('not_found', 'No entity with that id');
  return createRevision(db, entityId, {
    kind: 'restore',
    summary: `Restored revision ${source.number}`,
    content: applied,
    createdBy: userId,
    restoredFrom: source.id,
  });
}
