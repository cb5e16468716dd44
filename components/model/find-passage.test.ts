import { describe, expect, it } from 'vitest';
import { findPassage } from './find-passage';

const text = 'Meanwhile,\u00a0Russian President Vladimir Putin complained about efforts ‘to directly interfere\nin public and political affairs’ – in Russia. Putin said so again.';
const found = (query: string, from?: number) => {
  const at = findPassage(text, query, from);
  return at && text.slice(at.start, at.end);
};

describe('finding a passage in a source', () => {
  it('finds what a reader types, whatever its case, spaces, quotes or dashes', () => {
    expect(found('putin COMPLAINED')).toBe('Putin complained');
    expect(found('Meanwhile, Russian')).toBe('Meanwhile,\u00a0Russian');
    expect(found("efforts 'to directly interfere in public")).toBe('efforts ‘to directly interfere\nin public');
    expect(found("affairs' - in Russia")).toBe('affairs’ – in Russia');
    expect(found(' Vladimir   Putin ')).toBe(' Vladimir Putin '); // spaces typed at either end are part of the passage
  });

  it('finds the next occurrence, then wraps round to the first', () => {
    const first = findPassage(text, 'putin')!;
    const second = findPassage(text, 'putin', first.start + 1)!;
    expect(second.start).toBeGreaterThan(first.start);
    expect(findPassage(text, 'putin', second.start + 1)).toEqual(first);
  });

  it('takes characters that mean something in a pattern as themselves; finds nothing for what is not there or for nothing', () => {
    expect(found('affairs. Putin')).toBeNull(); // the text has "Russia. Putin"
    expect(found('Russia. Putin')).toBe('Russia. Putin');
    expect(found('(Putin)')).toBeNull();
    expect(found('zebra crossing')).toBeNull();
    expect(found('   ')).toBeNull();
  });
});
