import type { Db } from '@/db/client';
import { clientOwners } from '@/db/queries/authorship';
import { getCollab, unavailableAsApiError } from '@/server/collab/registry';
import { addRun, authorshipClients, type AuthorshipRun, type DocAuthorship } from '@/server/docs/authorship';
import type { PageAuthor, PageAuthorship } from '@/components/model/authorship';

/**
 * Names the authors of a doc's pieces: client ids become the accounts that own them, and the
 * authors are listed by how much of the body's text they wrote (unattributed text last).
 */
export async function presentAuthorship(db: Db, entityId: string, raw: DocAuthorship): Promise<PageAuthorship> {
  const clients = authorshipClients(raw);
  const owners = await clientOwners(db, entityId, clients);
  const userOf = (client: number) => owners.get(client)?.id ?? null;
  const usernames = new Map([...owners.values()].map((o) => [o.id, o.username]));

  // Every author, with the characters of body text they wrote.
  const chars = new Map<string | null, number>(clients.map((client) => [userOf(client), 0]));
  for (const block of raw.blocks) {
    for (const run of block.runs) {
      const user = userOf(run.client);
      chars.set(user, chars.get(user)! + run.text.length);
    }
  }
  const total = [...chars.values()].reduce((sum, n) => sum + n, 0);
  const authors: PageAuthor[] = [...chars]
    .map(([id, n]) => ({ id, username: id === null ? null : usernames.get(id)!, chars: n, share: total ? n / total : 0 }))
    .sort((a, b) => Number(a.id === null) - Number(b.id === null) || b.chars - a.chars || (a.username ?? '').localeCompare(b.username ?? ''));

  const index = new Map(authors.map((a, i) => [a.id, i]));
  const authorOf = (client: number) => index.get(userOf(client))!;
  /** Runs of text by author: neighbouring runs of one author (typed from different editors or tabs) become one. */
  const byAuthor = (runs: AuthorshipRun[]) => {
    const joined: { text: string; author: number }[] = [];
    for (const run of runs) addRun(joined, { text: run.text, author: authorOf(run.client) }, 'author');
    return joined;
  };
  return {
    authors,
    blocks: raw.blocks.map((block) => ({ ...block, runs: byAuthor(block.runs) })),
    fields: raw.fields.map((field) => ({ key: field.key, value: field.value, runs: byAuthor(field.runs) })),
    statements: raw.statements.map((s) => ({ predicate: s.statement.predicate, targetEntityId: s.statement.targetEntityId, author: authorOf(s.client) })),
  };
}

/** Who wrote what is on the entity's page now (its live doc); null when it has no doc. A 503 ApiError while live editing restarts. */
export async function loadAuthorship(db: Db, entityId: string): Promise<PageAuthorship | null> {
  const raw = await getCollab().currentAuthorship(entityId).catch(unavailableAsApiError);
  return raw ? presentAuthorship(db, entityId, raw) : null;
}
