#!/usr/bin/env node
// `npm start`: build the app when the sources changed since the last build, then run the
// server in this same process (it migrates and seeds the database before it listens).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { register } from 'tsx/esm/api';

const root = join(import.meta.dirname, '..');
const BUILD_INPUTS = ['app', 'components', 'db', 'server', 'public', 'next.config.ts', 'postcss.config.mjs', 'package.json', 'tsconfig.json'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), stat.mtimeMs);
}

const buildId = join(root, '.next', 'BUILD_ID');
const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
const changedAt = Math.max(...BUILD_INPUTS.map((p) => newestMtime(join(root, p))));
if (changedAt > builtAt) {
  console.log(builtAt ? 'Sources changed since the last build; building…' : 'Building the app (first start)…');
  const build = spawnSync('npx', ['next', 'build'], { cwd: root, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (build.status !== 0) {
    console.error('Error: the build failed (see above).');
    process.exit(1);
  }
}

process.env.NODE_ENV = 'production';
register();
await import('../server/index.ts');
