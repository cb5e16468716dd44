import { resolve } from 'node:path';
import { StartupError } from '@/db/startup-error';

export type ServerConfig = {
  port: number;
  host: string | undefined;
  databaseUrl: string | undefined;
  dataDir: string;
  dev: boolean;
  /** Seed the three source documents and their entities on start when missing. */
  seed: boolean;
  /** Memory for rendered pages kept for readers, signed in or not (server/http/page-cache.ts); 0 turns it off. */
  pageCacheBytes: number;
  /** Run the collaboration server in a process of its own: the default on PostgreSQL (COLLAB_PROCESS=0 keeps it in the web server's process); never with PGlite, which one process opens. */
  collabProcess: boolean;
};

/** Reads the server's configuration from the environment (see README, Configuration). */
export function readConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv): ServerConfig {
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new StartupError(`PORT must be a whole number from 0 to 65535, not "${env.PORT}".`);
  }
  const pageCacheMb = env.PAGE_CACHE_MB === undefined || env.PAGE_CACHE_MB === '' ? 64 : Number(env.PAGE_CACHE_MB);
  if (!Number.isFinite(pageCacheMb) || pageCacheMb < 0) {
    throw new StartupError(`PAGE_CACHE_MB must be a number of megabytes (0 turns the page cache off), not "${env.PAGE_CACHE_MB}".`);
  }
  const collabProcess = env.COLLAB_PROCESS ?? '';
  if (!['', '0', '1'].includes(collabProcess)) throw new StartupError(`COLLAB_PROCESS must be 1 (own process) or 0 (in the web server's process), not "${collabProcess}".`);
  if (collabProcess === '1' && !env.DATABASE_URL) throw new StartupError('COLLAB_PROCESS=1 needs DATABASE_URL: the embedded database can be opened by one process only.');
  return {
    port,
    host: env.HOST || undefined,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.DATA_DIR || 'data'),
    dev: argv.includes('--dev'),
    seed: env.SEED !== '0',
    pageCacheBytes: Math.round(pageCacheMb * 1024 * 1024),
    collabProcess: collabProcess === '1' || (collabProcess === '' && Boolean(env.DATABASE_URL)),
  };
}
