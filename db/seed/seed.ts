import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import type { Db } from '@/db/client';
import { entities, entityDocs, sources } from '@/db/schema';
import type { BodyJson } from '@/db/schema';
import { readEntityDoc, type EntityContent, type Statement } from '@/server/docs/entity-doc';
import { createEntityDoc } from '@/server/docs/create-entity-doc';
import { projectEntity } from '@/server/docs/projection';
import { createRevision } from '@/server/revisions/store';
import { loadEntityState } from '@/server/collab/doc-store';
import { docFromUpdates } from '@/server/docs/entity-doc';
import { sql } from 'drizzle-orm';
import { loadCuratedEntities, loadSources, resolveCitation, type CuratedEntity, type LoadedSource } from './curated';
import { markupToInline } from './markup';

type Log = (line: string) => void;
type Resolve = (slug: string) => { id: string; title: string };

/** A UUID-shaped id derived from a name, so seeding gives the same statement ids everywhere. */
function stableId(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The doc content of a curated entity: summary, body and note as paragraphs, fields, statements. */
export function curatedContent(e: CuratedEntity, texts: LoadedSource[], resolve: Resolve): EntityContent {
  const citations = e.citations.map((c) => resolveCitation(c, texts));
  const used = new Set<number>();
  const paragraph = (text: string): BodyJson => {
    const inline = markupToInline(text, citations, resolve);
    inline.used.forEach((i) => used.add(i));
    return { type: 'paragraph', content: inline.nodes };
  };
  const blocks = [paragraph(e.summary), ...e.body.map(paragraph)];
  if (e.note) blocks.push({ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Note on the sources' }] }, paragraph(e.note));
  // A citation no paragraph refers to still backs the summary.
  const unused = citations.filter((_, i) => !used.has(i)).map((c): BodyJson => ({ type: 'citation', attrs: { ...c } }));
  blocks[0].content = [...(blocks[0].content ?? []), ...unused];

  const statements: Statement[] = e.statements.map((s, i) => ({
    id: stableId(`${e.slug}#${i}`),
    predicate: s.predicate,
    targetEntityId: resolve(s.target).id,
    qualifiers: { ...(s.date ? { date: s.date } : {}), ...(s.role ? { role: s.role } : {}) },
    citations: (s.citations ?? []).map((c) => resolveCitation(c, texts)),
  }));
  return { fields: { title: e.title, ...(e.aliases.length ? { aliases: e.aliases } : {}), ...e.fields }, statements, body: { type: 'doc', content: blocks } };
}

/** Databases seeded before revisions existed: give every entity without one its revision 1 from its doc. */
async function backfillFirstRevisions(db: Db, log: Log): Promise<void> {
  const bare = await db.select({ id: entities.id }).from(entities).where(sql`not exists (select 1 from revisions r where r.entity_id = ${entities.id})`);
  for (const { id } of bare) {
    const state = await loadEntityState(db, id);
    if (!state) continue;
    const doc = docFromUpdates([state]);
    await createRevision(db, id, { kind: 'seed', summary: 'First recorded revision', content: readEntityDoc(doc), createdBy: null });
    doc.destroy();
  }
  if (bare.length) log(`Seed: recorded revision 1 of ${bare.length} existing entities.`);
}

/**
 * Seeds the sources and every curated entity that does not exist yet. Idempotent: an entity
 * whose slug exists is never touched again, so its doc is created exactly once.
 */
export async function seedDatabase(db: Db, { log }: { log: Log }): Promise<{ created: number; total: number }> {
  const texts = loadSources();
  const curated = loadCuratedEntities();
  return db.transaction(async (tx) => {
    const stored = new Map((await tx.select({ id: sources.id, sha256: sources.sha256 }).from(sources)).map((s) => [s.id, s.sha256]));
    for (const s of texts) {
      if (stored.has(s.id)) {
        if (stored.get(s.id) !== s.sha256) throw new Error(`Source ${s.id} in the database differs from ${s.fileName}; refusing to seed.`);
        continue;
      }
      await tx.insert(sources).values({ id: s.id, title: s.title, author: s.author, publisher: s.publisher, kind: s.kind, dateText: s.dateText, description: s.description, fileName: s.fileName, text: s.text, sha256: s.sha256 });
    }

    const existing = new Map((await tx.select({ slug: entities.slug, id: entities.id, title: entities.title }).from(entities)).map((r) => [r.slug, r]));
    const missing = curated.filter((e) => !existing.has(e.slug));
    await backfillFirstRevisions(tx, log);
    if (missing.length === 0) {
      log(`Seed: all ${curated.length} curated entities already present; nothing to do.`);
      return { created: 0, total: curated.length };
    }
    const inserted = await tx
      .insert(entities)
      .values(missing.map((e) => ({ slug: e.slug, type: e.type, title: e.title })))
      .returning({ slug: entities.slug, id: entities.id, title: entities.title });
    const bySlug = new Map([...existing, ...inserted.map((r) => [r.slug, r] as const)]);
    const resolve: Resolve = (slug) => {
      const found = bySlug.get(slug);
      if (!found) throw new Error(`unknown entity slug ${slug}`);
      return found;
    };

    const totals = { relations: 0, citations: 0 };
    const target = {
      relations: missing.reduce((n, e) => n + e.statements.length, 0),
      citations: missing.reduce((n, e) => n + e.citations.length + e.statements.reduce((m, s) => m + (s.citations?.length ?? 0), 0), 0),
    };
    for (const [i, e] of missing.entries()) {
      const id = resolve(e.slug).id;
      const doc = createEntityDoc(curatedContent(e, texts, resolve));
      const state = Y.encodeStateAsUpdate(doc);
      await tx.insert(entityDocs).values({ entityId: id, state, stateVector: Y.encodeStateVector(doc) });
      const content = readEntityDoc(doc);
      await projectEntity(tx, id, e.type, content);
      await createRevision(tx, id, { kind: 'seed', summary: 'Seeded from the source documents', content, createdBy: null });
      doc.destroy();
      totals.relations += e.statements.length;
      totals.citations += e.citations.length + e.statements.reduce((m, s) => m + (s.citations?.length ?? 0), 0);
      if ((i + 1) % 25 === 0 || i === missing.length - 1) {
        log(`Seeding: entities ${i + 1}/${missing.length}, relations ${totals.relations}/${target.relations}, citations ${totals.citations}/${target.citations}`);
      }
    }
    const perType = new Map<string, number>();
    for (const e of missing) perType.set(e.type, (perType.get(e.type) ?? 0) + 1);
    const byType = [...perType].map(([t, n]) => `${n} ${t}`);
    log(`Seed: created ${missing.length} entities (${byType.join(', ')}), ${totals.relations} relations, ${totals.citations} citations from ${texts.length} sources.`);
    return { created: missing.length, total: curated.length };
  });
}
