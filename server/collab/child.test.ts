import { describe, expect, it } from 'vitest';
import { collabExecArgv } from './child';

describe('the collaboration process’s Node flags', () => {
  it('runs with V8’s memory reducer, which the web server turns off, and keeps the other flags', () => {
    expect(collabExecArgv(['--no-memory-reducer', '--expose-gc', '--import', 'tsx'])).toEqual(['--expose-gc', '--import', 'tsx']);
  });

  it('loads TypeScript through tsx also when the web server registered it itself (`npm start`)', () => {
    expect(collabExecArgv(['--no-memory-reducer'])).toEqual(['--import', 'tsx']);
  });
});
