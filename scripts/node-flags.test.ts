import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from './node-flags';

const scripts = (JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

describe('the server’s Node flags', () => {
  it.each(['start', 'serve'])('`npm %s` starts the server with them', (name) => {
    const [node, ...args] = scripts[name].split(' ');
    expect(node).toBe('node');
    expect(args.slice(0, SERVER_NODE_FLAGS.length)).toEqual(SERVER_NODE_FLAGS);
  });
});
