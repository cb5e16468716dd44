import { describe, expect, it } from 'vitest';
import { readConfig } from './config';

const URL = 'postgres://kb:kb@127.0.0.1:5432/kb';
const env = (vars: Record<string, string>): NodeJS.ProcessEnv => ({ NODE_ENV: 'test', ...vars });

describe('readConfig: where the collaboration server runs', () => {
  it('runs it in its own process on PostgreSQL unless COLLAB_PROCESS=0, and in the web server’s with the embedded database', () => {
    expect(readConfig(env({}), []).collabProcess).toBe(false);
    expect(readConfig(env({ DATABASE_URL: URL }), []).collabProcess).toBe(true);
    expect(readConfig(env({ DATABASE_URL: URL, COLLAB_PROCESS: '0' }), []).collabProcess).toBe(false);
    expect(readConfig(env({ DATABASE_URL: URL, COLLAB_PROCESS: '1' }), []).collabProcess).toBe(true);
  });

  it('refuses an own process for the embedded database, and values other than 0 and 1, with a readable message', () => {
    expect(() => readConfig(env({ COLLAB_PROCESS: '1' }), [])).toThrow('COLLAB_PROCESS=1 needs DATABASE_URL');
    expect(() => readConfig(env({ DATABASE_URL: URL, COLLAB_PROCESS: 'yes' }), [])).toThrow('COLLAB_PROCESS must be 1 (own process) or 0');
  });
});
