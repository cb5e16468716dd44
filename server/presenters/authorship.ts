import type { Db } from '@/db/client';
import { clientOwners } from '@/db/queries/authorship';
import { getCollab, unavailableAsApiError } from '@/server/collab/registry';
import { authorshipClients, type DocAuthorship } from '@/server/docs/authorship';
import type { PageAuthor, PageAuthorship } from '@/components/model/authorship';

/** Neighbouring runs of one author (typed from different editors or tabs) as one. */
function joinRuns(runs: { text: string; author: number }[]) {
  const joined: typeof runs = [];
  for (const run of runs) {
    const last = joined[joined.length - 1];
    if (last?.author === run.author) last.text += run.text;
    else joined.push({ ...run });
  }
  return joined;
}

/**
 * Names the authors of a doc's pieces: client ids become the accounts that own them, and the
 * authors are listed by how much of the body's text they wrote (unattributed text last).
 */
export async function presentAuthorship(db: Db, entityId: string, raw: DocAuthorship): Promise<PageAuthorship> {
  const owners = await clientOwners(db, entityId, authorshipClients(raw));
  const byUser = new Map<string | null, PageAuthor>();
  const authorOf = (client: number) => {
    const owner = owners.get(client) ?? null;
    const key = owner?.id ?? null;
    if (!byUser.has(key)) byUser.set(key, { id: key, username: owner?.username ?? null, chars: 0, share: 0 });
    return byUser.get(key)!;
  };
  const blocks = raw.blocks.map((block) => ({
    ...block,
    runs: block.runs.map((run) => {
      const author = authorOf(run.client);
      author.chars += run.text.length;
      return { text: run.text, author };
    }),
  }));
  const fields = raw.fields.map((f) => ({ key: f.key, value: f.value, author: authorOf(f.client) }));
  const statements = raw.statements.map((s) => ({ predicate: s.statement.predicate, targetEntityId: s.statement.targetEntityId, author: authorOf(s.client) }));

  const authors = [...byUser.values()].sort((a, b) => Number(a.id === null) - Number(b.id === null) || b.chars - a.chars || (a.username ?? '').localeCompare(b.username ?? ''));
  const total = authors.reduce((sum, a) => sum + a.chars, 0);
  for (const a of authors) a.share = total ? a.chars / total : 0;
  const index = new Map(authors.map((a, i) => [a, i]));
  return {
    authors,
    blocks: blocks.map((b) => ({ ...b, runs: joinRuns(b.runs.map((r) => ({ text: r.text, author: index.get(r.author)! }))) })),
    fields: fields.map((f) => ({ ...f, author: index.get(f.author)! })),
    statements: statements.map((s) => ({ ...s, author: index.get(s.author)! })),
  };
}

/** Who wrote what is on the entity's page now (its live doc); null when it has no doc. A 503 ApiError while live editing restarts. */
export async function loadAuthorship(db: Db, entityId: string): Promise<PageAuthorship | null> {
  const raw = await getCollab().currentAuthorship(entityId).catch(unavailableAsApiError);
  return raw ? presentAuthorship(db, entityId, raw) : null;
}
