import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';
import { lockDataDir } from './data-dir-lock';
import { StartupError } from './startup-error';

export type Schema = typeof schema;
/** The drizzle database (or a transaction on it); the same API on PGlite and postgres.js. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type DatabaseKind = 'pglite' | 'postgres';

/** The rows of a `db.execute` result: PGlite returns `{ rows }`, postgres.js the array itself. */
export function resultRows<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? result) as T[];
}

export type Database = {
  db: Db;
  kind: DatabaseKind;
  /** Latest migration tag applied, from `db/migrations/meta/_journal.json`. */
  migration: string;
  /** Runs a raw SQL string and returns its rows (for LISTEN-free maintenance queries). */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
};

export const MIGRATIONS_DIR = resolve(process.cwd(), 'db', 'migrations');

type OpenOptions = { databaseUrl?: string; dataDir: string };

// One instance per process: Next's bundle and server/ see the same object through globalThis.
const KEY = Symbol.for('kb.database');
type Holder = { [KEY]?: Database };
const holder = globalThis as Holder;

/** The open database. Throws when the server has not opened it (e.g. during `next build`). */
export function getDatabase(): Database {
  const database = holder[KEY];
  if (!database) throw new Error('The database is not open: start the app with `npm start` (server/index.ts).');
  return database;
}

/** Shorthand for `getDatabase().db`. */
export function getDb(): Db {
  return getDatabase().db;
}

/** Opens the database (postgres.js when a URL is given, PGlite otherwise), migrates it, and registers it for the process. */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (holder[KEY]) throw new Error('The database is already open in this process.');
  const database = options.databaseUrl ? await openPostgres(options.databaseUrl) : await openPglite(options.dataDir);
  holder[KEY] = database;
  const close = database.close;
  database.close = async () => {
    if (holder[KEY] === database) delete holder[KEY];
    await close();
  };
  return database;
}

function latestMigrationTag(): string {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  return journal.entries.at(-1)?.tag ?? 'none';
}

async function openPglite(dataDir: string): Promise<Database> {
  const release = lockDataDir(dataDir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
    const { drizzle } = await import('drizzle-orm/pglite');
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    const client = await PGlite.create(join(dataDir, 'pglite'), { extensions: { pg_trgm } });
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
    return {
      db: db as unknown as Db,
      kind: 'pglite',
      migration: latestMigrationTag(),
      query: async <T,>(text: string, params?: unknown[]) => (await client.query<T>(text, params)).rows,
      close: async () => {
        try {
          await client.close();
        } finally {
          release();
        }
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

/** Turns a connection failure into one line naming the problem. */
function describeConnectError(url: string, err: unknown): StartupError {
  let where = 'the PostgreSQL server';
  let user = '';
  try {
    const parsed = new URL(url);
    where = `PostgreSQL at ${parsed.hostname || 'localhost'}:${parsed.port || 5432}`;
    user = decodeURIComponent(parsed.username);
  } catch {
    return new StartupError('DATABASE_URL is not a valid URL (expected postgres://user:password@host:port/database).');
  }
  const e = err as { code?: string; message?: string };
  switch (e.code) {
    case 'ECONNREFUSED':
      return new StartupError(`Cannot connect to ${where}: connection refused. Is the server running?`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StartupError(`Cannot connect to ${where}: host not found.`);
    case 'CONNECT_TIMEOUT':
      return new StartupError(`Cannot connect to ${where}: timed out.`);
    case '28P01':
      return new StartupError(`${where} rejected the password for user "${user}".`);
    case '28000':
      return new StartupError(`${where} refused user "${user}": ${e.message}`);
    case '3D000':
      return new StartupError(`${where}: ${e.message}. Create it first (createdb).`);
    default:
      return new StartupError(`Cannot use ${where}: ${e.message ?? String(err)}`);
  }
}

async function openPostgres(url: string): Promise<Database> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const client = postgres(url, { max: 10, connect_timeout: 5, onnotice: () => {} });
  try {
    await client`select 1`;
  } catch (err) {
    await client.end({ timeout: 1 }).catch(() => {});
    throw describeConnectError(url, err);
  }
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return {
    db: db as unknown as Db,
    kind: 'postgres',
    migration: latestMigrationTag(),
    query: async <T,>(text: string, params?: unknown[]) =>
      (await client.unsafe(text, (params ?? []) as never[])) as unknown as T[],
    close: () => client.end({ timeout: 2 }),
  };
}
