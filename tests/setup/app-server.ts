import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';
import { SERVER_NODE_FLAGS } from '../../scripts/node-flags';

export type AppServer = {
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  /** Sends a signal and resolves with the exit code (null when killed by the signal). */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
};

type SpawnOptions = { port: number; nodeArgs?: string[]; cwd?: string };

/** Spawns `server/index.ts` as `npm start` runs it (the server's Node flags, production mode), collecting everything it prints. */
function spawnApp(env: Record<string, string | undefined>, options: SpawnOptions) {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...(options.nodeArgs ?? []), '--import', 'tsx', 'server/index.ts'], {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, NODE_ENV: 'production', PORT: String(options.port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, output: () => out };
}

/** Starts `server/index.ts` as its own process (the built app; of the checkout in `cwd`, by default this one), resolving once it prints "Ready on". */
export async function startApp(env: Record<string, string | undefined> = {}, options: Partial<SpawnOptions> & { timeoutMs?: number } = {}): Promise<AppServer> {
  const port = options.port ?? (await freePort());
  // A data dir of its own unless given one: removed once the server has stopped (an embedded
  // database is ~45 MB; runs must not pile them up in the temp dir).
  const ownDataDir = env.DATA_DIR === undefined ? mkdtempSync(join(tmpdir(), 'kb-data-')) : null;
  const { child, output } = spawnApp({ ...env, DATA_DIR: ownDataDir ?? env.DATA_DIR }, { ...options, port });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
      resolve(code);
    }),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start in time:\n${output()}`)), options.timeoutMs ?? 90_000);
    const onData = () => {
      if (output().includes('Ready on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`app exited with ${code} before it was ready:\n${output()}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs the server expecting it to fail at start; resolves with its exit code and everything it printed. */
export async function runAppExpectingFailure(env: Record<string, string | undefined>, port?: number): Promise<{ code: number | null; output: string }> {
  const { child, output } = spawnApp(env, { port: port ?? (await freePort()) });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, output: output() };
}
