import { afterAll, describe, expect, inject, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import * as Y from 'yjs';
import { MIGRATIONS_DIR, openDatabase, resultRows, type Database, type Db } from '@/db/client';
import { compactEntity, createUpdateLog } from '@/server/collab/update-log';
import { loadEntityState } from '@/server/collab/doc-store';
import { createPostgresDatabase } from '../helpers/database';

const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
const latest = journal.entries.at(-1)!.tag;

const temporary: string[] = [];
let database: Database | undefined;
afterAll(async () => {
  await database?.close();
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

/** The migrations folder as the previous release shipped it: every migration but the latest. */
function previousMigrations(): string {
  const dir = tempDir('kb-migrations-');
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, -1) }));
  return dir;
}

type Opened = { db: Db; migrate: (db: Db, config: { migrationsFolder: string }) => Promise<void>; close: () => Promise<void>; opening: { dataDir: string; databaseUrl?: string } };

/** A new, empty database of this run's kind (a PGlite data dir, or a PostgreSQL database), opened without the app. */
async function openEmpty(): Promise<Opened> {
  if (inject('databaseKind') === 'postgres') {
    const databaseUrl = await createPostgresDatabase();
    const { default: postgres } = await import('postgres');
    const { drizzle } = await import('drizzle-orm/postgres-js');
    const { migrate } = await import('drizzle-orm/postgres-js/migrator');
    const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    return { db: drizzle(client) as unknown as Db, migrate: migrate as unknown as Opened['migrate'], close: () => client.end(), opening: { dataDir: '', databaseUrl } };
  }
  const dataDir = tempDir('kb-upgrade-');
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const client = await PGlite.create(join(dataDir, 'pglite'), { extensions: { pg_trgm } });
  return { db: drizzle(client) as unknown as Db, migrate: migrate as unknown as Opened['migrate'], close: () => client.close(), opening: { dataDir } };
}

/** A database migrated by the previous release, `write` run on it, then closed; how to open it again. */
async function previousReleaseDatabase(write: (db: Db) => Promise<void>): Promise<Opened['opening']> {
  const { db, migrate, close, opening } = await openEmpty();
  try {
    await migrate(db, { migrationsFolder: previousMigrations() });
    await write(db);
  } finally {
    await close();
  }
  return opening;
}

async function rowsOf(db: Db, entityId: string): Promise<number> {
  const [row] = resultRows<{ n: number }>(await db.execute(sql`select count(*)::int as n from entity_updates where entity_id = ${entityId}`));
  return row.n;
}

async function storedText(db: Db, entityId: string): Promise<string> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await loadEntityState(db, entityId))!);
  return doc.getText('body').toString();
}

describe(`upgrading to ${latest}`, () => {
  it("a database the previous release wrote opens through the app's migrator with every edit, and takes new ones", async () => {
    const doc = new Y.Doc();
    let entityId = '';
    const opening = await previousReleaseDatabase(async (db) => {
      // Written with SQL of the previous release's schema: an entity, its snapshot, 40 logged edits.
      const [entity] = resultRows<{ id: string }>(await db.execute(sql`insert into entities (slug, type, title) values ('treaty-of-rapallo', 'treaty', 'Treaty of Rapallo') returning id`));
      entityId = entity.id;
      doc.getText('body').insert(0, 'Signed in 1922.');
      const state = Y.encodeStateAsUpdate(doc);
      await db.execute(sql`insert into entity_docs (entity_id, state, state_vector) values (${entityId}, ${Buffer.from(state)}, ${Buffer.from(Y.encodeStateVectorFromUpdate(state))})`);
      const edits: Uint8Array[] = [];
      doc.on('update', (update: Uint8Array) => edits.push(update));
      for (let i = 0; i < 40; i++) doc.getText('body').insert(doc.getText('body').length, ` edit ${i}.`);
      for (const edit of edits) await db.execute(sql`insert into entity_updates (entity_id, update) values (${entityId}, ${Buffer.from(edit)})`);
    });

    database = await openDatabase(opening);
    const { db } = database;
    expect(database.migration).toBe(latest);
    expect(await rowsOf(db, entityId)).toBe(40);
    expect(await storedText(db, entityId)).toBe(doc.getText('body').toString());

    // New edits are logged after the old ones and load with them; compaction folds them all.
    const log = createUpdateLog(db);
    const appended: Promise<void>[] = [];
    doc.on('update', (update: Uint8Array) => appended.push(log.append(entityId, update, null)));
    doc.getText('body').insert(doc.getText('body').length, ' Upgraded.');
    await Promise.all(appended);
    expect(await rowsOf(db, entityId)).toBe(41);
    expect(await storedText(db, entityId)).toMatch(/edit 39\. Upgraded\.$/);
    await compactEntity(db, entityId, null);
    expect(await rowsOf(db, entityId)).toBe(0);
    expect(await storedText(db, entityId)).toBe(doc.getText('body').toString());
  });
});
