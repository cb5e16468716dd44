import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { runAppExpectingFailure, startApp } from '../setup/app-server';
import { freePort } from '../setup/ports';
import { createPostgresDatabase } from '../helpers/database';

/** A failed start prints one readable line, never a stack trace. */
function expectOneReadableLine(output: string, pattern: RegExp) {
  const lines = output.split('\n').filter((l) => l.trim() && !l.includes('Running next.config') && !l.startsWith('npm warn'));
  expect(lines, output).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(output).not.toMatch(/^\s+at /m);
}

describe('startup faults', () => {
  it('exits with one line when DATABASE_URL points at nothing', async () => {
    const port = await freePort();
    const { code, output } = await runAppExpectingFailure({ DATABASE_URL: `postgres://kb:kb@127.0.0.1:${port}/kb`, SEED: '0' });
    expect(code).not.toBe(0);
    expectOneReadableLine(output, /Cannot connect to PostgreSQL at 127\.0\.0\.1:\d+: connection refused/);
  });

  it.runIf(inject('databaseKind') === 'postgres')('exits with one line on a wrong password', async () => {
    const url = inject('postgresUrl').replace(/:[^:@/]+@/, ':wrong-password@');
    const { code, output } = await runAppExpectingFailure({ DATABASE_URL: url, SEED: '0' });
    expect(code).not.toBe(0);
    expectOneReadableLine(output, /rejected the password for user "postgres"/);
  });

  // With PostgreSQL the collaboration process accepts the site's connections (on the port the web server bound).
  const portOwners = inject('databaseKind') === 'postgres' ? ['web server', 'collaboration process'] : ['web server'];
  it.each(portOwners)('exits with one line when the port is in use (accepted by the %s)', async (owner) => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, resolve));
    const dataDir = mkdtempSync(join(tmpdir(), 'kb-port-'));
    const database = owner === 'web server' ? { DATABASE_URL: '' } : { DATABASE_URL: await createPostgresDatabase(), COLLAB_PROCESS: '1' };
    try {
      const { code, output } = await runAppExpectingFailure({ DATA_DIR: dataDir, SEED: '0', ...database }, port);
      expect(code).not.toBe(0);
      expectOneReadableLine(output, new RegExp(`Port ${port} is already in use`));
    } finally {
      blocker.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('embedded database and shutdown', () => {
  it('refuses a second process on the same data dir and leaves the first intact', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kb-lock-'));
    const first = await startApp({ DATA_DIR: dataDir, SEED: '0', DATABASE_URL: '' });
    try {
      const second = await runAppExpectingFailure({ DATA_DIR: dataDir, SEED: '0', DATABASE_URL: '' });
      expect(second.code).not.toBe(0);
      expectOneReadableLine(second.output, /data directory .* is in use by another process \(pid \d+\)/);
      const health = await fetch(`${first.url}/api/health`);
      expect(await health.json()).toMatchObject({ ok: true, database: 'pglite' });
    } finally {
      expect(await first.stop('SIGTERM')).toBe(0);
    }
    // The lock went with the first process: the data dir opens again, with its migrations intact.
    expect(existsSync(join(dataDir, 'kb.lock'))).toBe(false);
    const again = await startApp({ DATA_DIR: dataDir, SEED: '0', DATABASE_URL: '' });
    const health = await fetch(`${again.url}/api/health`);
    expect(await health.json()).toMatchObject({ ok: true, database: 'pglite' });
    expect(await again.stop('SIGINT')).toBe(0);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shuts down within a few seconds on SIGTERM, even with a client connected', async () => {
    const app = await startApp({ SEED: '0', DATABASE_URL: '' });
    // A keep-alive HTTP connection that stays open must not hold the shutdown.
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve) =>
      request(`${app.url}/api/health`, { agent }, (res) => {
        res.resume();
        resolve();
      }).end(),
    );
    const started = Date.now();
    expect(await app.stop('SIGTERM')).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(app.output()).toContain('Shutting down (SIGTERM)');
  });
});
