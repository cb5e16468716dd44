import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { entities, entityCitations, entityDocs, entityLinks, sources } from '@/db/schema';
import { seedDatabase } from '@/db/seed/seed';
import { loadCuratedEntities } from '@/db/seed/curated';
import { loadEntityState } from '@/server/collab/doc-store';
import { docFromUpdates, readEntityDoc } from '@/server/docs/entity-doc';
import { openTestDatabase } from '../helpers/database';

let database: Database;
const log: string[] = [];

beforeAll(async () => {
  database = await openTestDatabase();
  await seedDatabase(database.db, { log: (line) => log.push(line) });
}, 180_000);
afterAll(async () => {
  await database?.close();
});

describe('seed', () => {
  it('creates every curated entity with its doc, meeting the per-type minimums', async () => {
    const curated = loadCuratedEntities();
    const rows = await database.db.select({ type: entities.type, n: count() }).from(entities).groupBy(entities.type);
    const counts = Object.fromEntries(rows.map((r) => [r.type, Number(r.n)]));
    expect(counts.person).toBeGreaterThanOrEqual(45);
    expect(counts.party).toBeGreaterThanOrEqual(18);
    expect(counts.treaty).toBeGreaterThanOrEqual(15);
    expect(counts.event).toBeGreaterThanOrEqual(60);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(curated.length);
    const [docs] = await database.db.select({ n: count() }).from(entityDocs);
    expect(Number(docs.n)).toBe(curated.length);
  });

  it('prints progress and a summary', () => {
    expect(log.some((l) => /^Seeding: entities \d+\/\d+, relations \d+\/\d+, citations \d+\/\d+$/.test(l))).toBe(true);
    expect(log.at(-1)).toMatch(/^Seed: created \d+ entities \(.*person.*\), \d+ relations, \d+ citations from 3 sources\.$/);
  });

  it('stores every citation as a verbatim substring of its source at its offsets', async () => {
    const texts = new Map((await database.db.select().from(sources)).map((s) => [s.id, s.text]));
    const cites = await database.db.select().from(entityCitations);
    expect(cites.length).toBeGreaterThan(300);
    const wrong = cites.filter((c) => texts.get(c.sourceId)?.slice(c.start, c.end) !== c.quote);
    expect(wrong).toEqual([]);
    const statementCites = (await database.db.select({ citations: entityLinks.citations }).from(entityLinks)).flatMap((l) => l.citations);
    expect(statementCites.filter((c) => texts.get(c.sourceId)?.slice(c.start, c.end) !== c.quote)).toEqual([]);
  });

  it('gives every entity at least one citation and resolves every relation target', async () => {
    const rows = await database.query('select slug from entities e where not exists (select 1 from entity_citations c where c.entity_id = e.id)');
    expect(rows).toEqual([]);
    const curated = loadCuratedEntities();
    const slugs = new Set(curated.map((e) => e.slug));
    const dangling = curated.flatMap((e) => e.statements.filter((s) => !slugs.has(s.target)).map((s) => `${e.slug} → ${s.target}`));
    expect(dangling).toEqual([]);
    const [links] = await database.db.select({ n: count() }).from(entityLinks);
    expect(Number(links.n)).toBeGreaterThanOrEqual(curated.reduce((n, e) => n + e.statements.length, 0));
  });

  it('keeps the source texts byte-for-byte', async () => {
    const { createHash } = await import('node:crypto');
    for (const s of await database.db.select().from(sources)) {
      expect(createHash('sha256').update(s.text, 'utf8').digest('hex')).toBe(s.sha256);
    }
  });

  it('is idempotent: a second run creates nothing and leaves every doc as it was', async () => {
    const [borodin] = await database.db.select().from(entities).where(eq(entities.slug, 'mikhail-borodin'));
    const before = await loadEntityState(database.db, borodin.id);
    const again = await seedDatabase(database.db, { log: () => {} });
    expect(again.created).toBe(0);
    const after = await loadEntityState(database.db, borodin.id);
    expect(Buffer.from(after!).equals(Buffer.from(before!))).toBe(true);
    const [n] = await database.db.select({ n: count() }).from(entities).where(eq(entities.slug, 'mikhail-borodin'));
    expect(Number(n.n)).toBe(1);
  });

  it('stores one Y.Doc per entity whose content matches the projection', async () => {
    const [rapallo] = await database.db.select().from(entities).where(eq(entities.slug, 'treaty-of-rapallo'));
    const doc = docFromUpdates([(await loadEntityState(database.db, rapallo.id))!]);
    const content = readEntityDoc(doc);
    expect(content.fields.title).toBe(rapallo.title);
    expect(content.body).toEqual(rapallo.body);
    const paragraphs = (content.body.content ?? []).filter((b) => b.type === 'paragraph');
    expect(paragraphs.length).toBeGreaterThan(0);
  });
});
