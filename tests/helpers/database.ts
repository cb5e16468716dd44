import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openDatabase, type Database } from '@/db/client';

let counter = 0;

/** A new, empty database on the test PostgreSQL server; its URL. */
export async function createPostgresDatabase(): Promise<string> {
  const admin = postgres(inject('postgresUrl'), { max: 1, onnotice: () => {} });
  const name = `kb_test_${process.pid}_${Date.now()}_${counter++}`;
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  await admin.end();
  return inject('postgresUrl').replace(/\/postgres$/, `/${name}`);
}

/** A fresh, migrated database of the kind this run tests (its own PGlite dir, or a new Postgres database). */
export async function openTestDatabase(): Promise<Database> {
  if (inject('databaseKind') === 'postgres') return openDatabase({ databaseUrl: await createPostgresDatabase(), dataDir: '' });
  const dataDir = mkdtempSync(join(tmpdir(), 'kb-test-db-'));
  const database = await openDatabase({ dataDir });
  const close = database.close;
  database.close = async () => {
    await close();
    rmSync(dataDir, { recursive: true, force: true }); // ~45 MB each
  };
  return database;
}
