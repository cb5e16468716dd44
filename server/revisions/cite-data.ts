import type { Revision } from '@/db/schema';
import type { CiteData } from './cite';

export const SITE_NAME = 'Annals';

/** Citation data of a revision: its title then, its authors (or, for a group's page, the group), dates, permalink and hash. */
export function citeDataFor(found: { revision: Revision; groupName: string | null }, title: string, origin: string, accessDate = new Date()): CiteData {
  const { revision } = found;
  return {
    title,
    site: SITE_NAME,
    authors: found.groupName ? [found.groupName] : revision.authors.map((a) => a.username),
    revisionNumber: revision.number,
    revisionId: revision.id,
    revisionDate: revision.createdAt,
    accessDate,
    url: `${origin}/revisions/${revision.id}`,
    sha256: revision.sha256,
  };
}
