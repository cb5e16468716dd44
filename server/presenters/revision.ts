import type { Revision } from '@/db/schema';

type Summary = Pick<Revision, 'id' | 'entityId' | 'number' | 'parentId' | 'kind' | 'summary' | 'sha256' | 'authors' | 'size' | 'sizeDelta' | 'restoredFrom' | 'createdAt'>;

/** What the API says of a revision in a list. */
export function presentRevision(r: Summary) {
  return {
    id: r.id,
    entityId: r.entityId,
    number: r.number,
    parentId: r.parentId,
    kind: r.kind,
    summary: r.summary,
    sha256: r.sha256,
    authors: r.authors,
    size: r.size,
    sizeDelta: r.sizeDelta,
    restoredFrom: r.restoredFrom,
    createdAt: r.createdAt.toISOString(),
    url: `/revisions/${r.id}`,
  };
}
