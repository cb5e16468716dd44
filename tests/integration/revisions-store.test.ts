import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { entities, revisions } from '@/db/schema';
import { createRevision, revisionPretty, prettyHash, revisionContent } from '@/server/revisions/store';
import type { EntityContent } from '@/server/docs/entity-doc';
import { openTestDatabase } from '../helpers/database';

let database: Database;
let entityId: string;

/** A fixed content: its hash must be the same wherever it is computed and stored. */
const FIXED: EntityContent = {
  fields: { title: 'Treaty of Rapallo', signed: '1922-04-16', place: 'Rapallo', aliases: ['Rapallo Treaty'] },
  statements: [{ id: 's1', predicate: 'located_in', targetEntityId: '00000000-0000-4000-8000-000000000001', qualifiers: { date: '1922' }, citations: [] }],
  body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Signed by Germany and Soviet Russia — “in good faith”.' }] }] },
};
const FIXED_HASH = '44e5bb3073cbb2e5e594c5c5a2ab3a0d8a8db767d2f423ed61cffd8b1d6bdd99';

function bigContent(paragraphs: number, edit = -1): EntityContent {
  return {
    fields: { title: 'Big page' },
    statements: [],
    body: {
      type: 'doc',
      content: Array.from({ length: paragraphs }, (_, i) => ({
        type: 'paragraph',
        content: [{ type: 'text', text: `${i === edit ? 'EDITED ' : ''}Paragraph ${i}: ${'lorem ipsum dolor sit amet '.repeat(6)}` }],
      })),
    },
  };
}

beforeAll(async () => {
  database = await openTestDatabase();
  const [row] = await database.db.insert(entities).values({ slug: `rev-store-${Date.now()}`, type: 'treaty', title: 'Treaty of Rapallo' }).returning();
  entityId = row.id;
});
afterAll(async () => {
  await database?.close();
});

describe('revision store', () => {
  it('hashes the same content to the same sha256 on this database as everywhere', async () => {
    const { created, revision } = await createRevision(database.db, entityId, { kind: 'seed', summary: 'first', content: FIXED, createdBy: null });
    expect(created).toBe(true);
    expect(revision.number).toBe(1);
    expect(revision.sha256).toBe(FIXED_HASH);
    const [stored] = await database.db.select().from(revisions).where(eq(revisions.id, revision.id));
    expect(prettyHash(await revisionPretty(database.db, stored))).toBe(FIXED_HASH);
    expect(await revisionContent(database.db, stored)).toEqual(JSON.parse(JSON.stringify(FIXED)));
  });

  it('skips a revision whose content hashes the same as its parent', async () => {
    const again = await createRevision(database.db, entityId, { kind: 'manual', summary: 'no change', content: { ...FIXED, fields: { ...FIXED.fields } }, createdBy: null });
    expect(again.created).toBe(false);
    expect(again.revision.number).toBe(1);
  });

  it('stores revisions by change: bytes per revision follow the edit, not the page', async () => {
    const [row] = await database.db.insert(entities).values({ slug: `rev-big-${Date.now()}`, type: 'event', title: 'Big page' }).returning();
    for (let i = 0; i < 40; i++) await createRevision(database.db, row.id, { kind: 'manual', summary: `edit ${i}`, content: bigContent(300, i), createdBy: null });
    const rows = await database.query<{ number: number; bytes: number; snapshot: boolean }>(
      `select number, coalesce(octet_length(snapshot), 0) + coalesce(octet_length(patch::text), 0) as bytes, snapshot is not null as snapshot from revisions where entity_id = $1 order by number`,
      [row.id],
    );
    const pageBytes = Number(rows[0].bytes);
    expect(pageBytes).toBeGreaterThan(50_000);
    const patches = rows.filter((r) => !r.snapshot).map((r) => Number(r.bytes));
    expect(patches.length).toBeGreaterThan(30);
    expect(Math.max(...patches)).toBeLessThan(pageBytes / 50);
    // Every revision still reads back exactly.
    const all = await database.db.select().from(revisions).where(eq(revisions.entityId, row.id));
    for (const r of all) expect(prettyHash(await revisionPretty(database.db, r))).toBe(r.sha256);
  });

  it('rebuilds any revision from its keyframe and the patches since, not only from the texts it keeps', async () => {
    const [row] = await database.db.insert(entities).values({ slug: `rev-chain-${Date.now()}`, type: 'event', title: 'Big page' }).returning();
    for (let i = 0; i < 40; i++) await createRevision(database.db, row.id, { kind: 'manual', summary: `edit ${i}`, content: bigContent(120, i), createdBy: null });
    const all = await database.db.select().from(revisions).where(eq(revisions.entityId, row.id));
    expect(all.filter((r) => r.snapshot !== null).map((r) => r.number).sort((a, b) => a - b)).toEqual([1, 33]);
    // The texts kept since they were saved are forgotten (the process-wide cache, see store.ts): each is read and rebuilt.
    const texts = (globalThis as unknown as Record<symbol, { delete(id: string): void }>)[Symbol.for('kb.revision-texts')];
    for (const r of [...all].sort(() => Math.random() - 0.5)) {
      for (const other of all) texts.delete(other.id);
      expect(prettyHash(await revisionPretty(database.db, r)), `revision ${r.number}`).toBe(r.sha256);
    }
  });

  it('refuses to change a revision, or to delete a cited or restored-from one', async () => {
    const [first] = await database.db.select().from(revisions).where(eq(revisions.entityId, entityId));
    await expect(database.db.update(revisions).set({ summary: 'rewritten' }).where(eq(revisions.id, first.id))).rejects.toThrow();
    const restore = await createRevision(database.db, entityId, { kind: 'restore', summary: 'restore', content: { ...FIXED, fields: { ...FIXED.fields, place: 'Genoa' } }, createdBy: null, restoredFrom: first.id });
    await expect(database.db.delete(revisions).where(eq(revisions.id, first.id))).rejects.toThrow();
    await database.db.update(revisions).set({ citedAt: sql`now()` }).where(eq(revisions.id, restore.revision.id));
    const refused = await database.db.delete(revisions).where(eq(revisions.id, restore.revision.id)).then(() => null, (err: Error & { cause?: Error }) => err);
    expect(refused?.cause?.message ?? refused?.message).toMatch(/has been cited and cannot be deleted/);
    const [still] = await database.db.select().from(revisions).where(eq(revisions.id, restore.revision.id));
    expect(still.summary).toBe('restore');
  });
});
