import type { Db } from '@/db/client';
import { listSources } from '@/db/queries/sources';
import type { CitationRef } from '@/db/schema';

const key = (c: CitationRef) => `${c.sourceId}:${c.start}:${c.end}`;

/**
 * Numbers citations in reading order (repeats keep their first number) and names their
 * sources: what a page's `[n]` markers and its References list show.
 */
export async function numberReferences(db: Db, citations: CitationRef[]) {
  const sources = citations.length ? await listSources(db) : [];
  const sourceTitle = new Map(sources.map((s) => [s.id, s.title]));
  const refNumbers: Record<string, number> = {};
  const references: (CitationRef & { n: number; sourceTitle: string })[] = [];
  for (const c of citations) {
    if (refNumbers[key(c)]) continue;
    refNumbers[key(c)] = references.length + 1;
    references.push({ ...c, n: references.length + 1, sourceTitle: sourceTitle.get(c.sourceId) ?? c.sourceId });
  }
  return { refNumbers, references };
}
