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

type DriverClient =
  | { unsafe(text: string, params: unknown[], options: { prepare: boolean }): Promise<unknown> }
  | { query(text: string, params: unknown[]): Promise<unknown> };

/**
 * Runs `text` (with `$1`… parameters) on the driver beneath `db` (not a transaction), without
 * drizzle's query building, which for a small write costs more CPU than the write: for
 * statements run on every edit. postgres.js prepares it once per connection; PGlite parses it
 * each time. Resolves to its rows.
 */
export function driverQuery(db: Db): <T = Record<string, unknown>>(text: string, params: unknown[]) => Promise<T[]> {
  const client = (db as unknown as { $client?: DriverClient }).$client;
  if (!client) throw new Error('driverQuery needs the database itself, not a transaction');
  if ('unsafe' in client) return async (text, params) => resultRows(await client.unsafe(text, params, { prepare: true }));
  return async (text, params) => resultRows(await client.query(text, params));
}

export type Database = {
  db: Db;
  kind: DatabaseKind;
  /** The PostgreSQL database's URL (what opens another connection to it, as the compaction worker's); none on PGlite. */
  url?: string;
  /** Latest migration tag applied, from `db/migrations/meta/_journal.json`. */
  migration: string;
  /** Runs a raw SQL string and returns its rows (for LISTEN-free maintenance queries). */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /**
   * Messages between the processes on one PostgreSQL database (LISTEN/NOTIFY); absent on
   * PGlite, whose data directory only one process may open.
   */
  notifications?: Notifications;
  close(): Promise<void>;
};

export type Notifications = {
  /**
   * LISTENs on `channel` on a connection of its own. `onListen` runs each time it starts
   * listening, also after a lost connection was made again: what was sent meanwhile is lost.
   */
  listen(channel: string, onNotify: (payload: string) => void, onListen: () => void): Promise<{ unlisten(): Promise<void> }>;
  /** Sends each payload on `channel`, in one statement. */
  notify(channel: string, payloads: string[]): Promise<void>;
};

export const MIGRATIONS_DIR = resolve(process.cwd(), 'db', 'migrations');

type OpenOptions = {
  databaseUrl?: string;
  dataDir: string;
  /**
   * Runs after the migrations (e.g. the seed), while other processes opening the same
   * PostgreSQL database wait: instances started at once migrate and seed one after the other.
   */
  prepare?: (db: Db) => Promise<void>;
  /**
   * PostgreSQL plans each prepared statement once per connection (`plan_cache_mode =
   * force_generic_plan`) instead of again for each call whose parameters it judges worth it.
   * For a process whose statements all find rows by key (the collaboration server's): there
   * PostgreSQL chose a new plan for 158 of 165 batched doc loads and 127 of 1,171 single ones,
   * ~0.25 ms each; planned once, PostgreSQL's CPU while 500 docs × 3 clients connect went from
   * 140 to 120 ms (y-websocket-server's: 100; bench/RESULTS.md, 2026-12-06 02:45–02:50 UTC).
   * Not for pages' queries: a search's plan depends on its words.
   */
  genericPlans?: boolean;
};

/** The advisory lock processes hold on a PostgreSQL database while they migrate and prepare it ("kb start"). */
const STARTUP_LOCK = 0x6b62_7374;

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
  const database = options.databaseUrl ? await openPostgres(options.databaseUrl, options) : await openPglite(options.dataDir, options.prepare);
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

/** PostgreSQL's type id for bytea. */
const BYTEA = 17;

/**
 * bytea to and from PGlite's text protocol (hex) with Node's native hex codec. PGlite's own
 * codec goes a byte at a time in JavaScript: for the 190 KB snapshot of a page of 20,000 words,
 * 13–14 ms to read and 19–38 ms to write, on the event loop every open doc's edits and every page
 * share; with these 1.5–2.8 and ~10 ms, what is left PGlite's own work (bench/RESULTS.md, "An
 * editor's writes during a compaction", the runs of 2026-12-06 22:10–22:17 UTC).
 */
const PGLITE_BYTEA = {
  serializers: {
    [BYTEA]: (value: unknown) => {
      if (!(value instanceof Uint8Array)) throw new Error('Invalid input for bytea type');
      return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
    },
  },
  parsers: {
    [BYTEA]: (text: string) => {
      const bytes = Buffer.from(text.slice(2), 'hex');
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
  },
};

async function openPglite(dataDir: string, prepare: OpenOptions['prepare']): Promise<Database> {
  const release = lockDataDir(dataDir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
    const { drizzle } = await import('drizzle-orm/pglite');
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    const client = await PGlite.create(join(dataDir, 'pglite'), { extensions: { pg_trgm }, ...PGLITE_BYTEA });
    const db = drizzle(client, { schema });
    try {
      await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
      await prepare?.(db as unknown as Db);
    } catch (err) {
      await client.close().catch(() => {});
      throw err;
    }
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

async function openPostgres(url: string, { prepare, genericPlans }: OpenOptions): Promise<Database> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const connection = genericPlans ? { plan_cache_mode: 'force_generic_plan' } : {};
  const client = postgres(url, { max: 10, connect_timeout: 5, onnotice: () => {}, connection });
  try {
    await client`select 1`;
  } catch (err) {
    await client.end({ timeout: 1 }).catch(() => {});
    throw describeConnectError(url, err);
  }
  const db = drizzle(client, { schema });
  // A session-level lock, so on a connection kept for it (the pool's others migrate).
  const locked = await client.reserve();
  try {
    await locked`select pg_advisory_lock(${STARTUP_LOCK})`;
    await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
    await prepare?.(db as unknown as Db);
    await locked`select pg_advisory_unlock(${STARTUP_LOCK})`;
    locked.release();
  } catch (err) {
    await client.end({ timeout: 1 }).catch(() => {}); // the lock goes with the connection
    throw err;
  }
  return {
    db: db as unknown as Db,
    kind: 'postgres',
    url,
    migration: latestMigrationTag(),
    query: async <T,>(text: string, params?: unknown[]) =>
      (await client.unsafe(text, (params ?? []) as never[])) as unknown as T[],
    notifications: {
      listen: (channel, onNotify, onListen) => client.listen(channel, onNotify, onListen),
      notify: async (channel, payloads) => {
        if (payloads.length) await client`select pg_notify(${channel}, p) from unnest(${client.array(payloads)}::text[]) as p`;
      },
    },
    close: () => client.end({ timeout: 2 }),
  };
}
