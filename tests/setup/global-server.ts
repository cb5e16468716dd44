import { writeFileSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startApp, type AppServer } from './app-server';
import { startPostgres, type PostgresServer } from './postgres-server';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    databaseKind: 'pglite' | 'postgres';
    /** Admin URL template of the test PostgreSQL server ('' on PGlite runs). */
    postgresUrl: string;
    postgresPort: number;
    /** The app's COMPACT_QUIET_MS: how long an open doc's edits pause before its long log is compacted. */
    compactQuietMs: number;
  }
}

const COMPACT_QUIET_MS = 1000;

/**
 * Starts what the suite runs against: the built app on a free port, on PGlite or, with
 * TEST_DB=postgres, on a PostgreSQL server this setup starts itself and stops afterwards.
 */
export default async function setup(project: TestProject) {
  const kind = process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';
  let pg: PostgresServer | undefined;
  let app: AppServer | undefined;
  try {
    if (kind === 'postgres') pg = await startPostgres();
    const databaseUrl = pg?.createDatabase('kb_app');
    // Rate limits are tested on an app of their own; this one serves many sign-ups from one address.
    // On PostgreSQL its collaboration server runs in a process of its own (COLLAB_PROCESS=1), so
    // the two runs of the suite cover both places it can run.
    app = await startApp({
      DATABASE_URL: databaseUrl,
      COLLAB_PROCESS: kind === 'postgres' ? '1' : '0',
      ADMIN_USERNAMES: 'admin',
      SIGNUP_LIMIT: '100000',
      LOGIN_FAILURE_LIMIT: '100000',
      AUTO_REVISION_IDLE_MS: '1500',
      COMPACT_QUIET_MS: String(COMPACT_QUIET_MS),
    });
  } catch (err) {
    pg?.stop();
    throw err;
  }
  project.provide('baseUrl', app.url);
  project.provide('databaseKind', kind);
  project.provide('postgresUrl', pg ? pg.url('postgres') : '');
  project.provide('postgresPort', pg?.port ?? 0);
  project.provide('compactQuietMs', COMPACT_QUIET_MS);
  globalThis.__kbPostgres = pg;
  return async () => {
    await app?.stop();
    // TEST_SERVER_LOG=<file> keeps what the suite's server printed (its errors, restarts).
    if (process.env.TEST_SERVER_LOG && app) writeFileSync(process.env.TEST_SERVER_LOG, app.output());
    pg?.stop();
  };
}

declare global {
  var __kbPostgres: PostgresServer | undefined;
}
