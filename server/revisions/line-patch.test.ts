import { describe, expect, it } from 'vitest';
import { applyPatch, makePatch } from './line-patch';

describe('line patches', () => {
  const page = Array.from({ length: 1000 }, (_, i) => `line ${i}`);

  it('round-trips edits in the middle, at the ends, and complete rewrites', () => {
    const cases = [
      [...page.slice(0, 500), 'changed', ...page.slice(501)],
      ['new first', ...page],
      [...page, 'new last'],
      page.slice(10),
      ['entirely', 'different'],
      [],
      page,
    ];
    for (const after of cases) expect(applyPatch(page, makePatch(page, after))).toEqual(after);
  });

  it('stores only the changed span', () => {
    const patch = makePatch(page, [...page.slice(0, 500), 'changed', ...page.slice(501)]);
    expect(patch).toEqual({ start: 500, deleteCount: 1, insert: ['changed'] });
  });
});
