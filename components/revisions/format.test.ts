import { describe, expect, it } from 'vitest';
import { counted, formatDelta } from './format';

describe('revision figures in words', () => {
  it('counts with the right plural and thousands separators', () => {
    expect(counted(1, 'paragraph')).toBe('1 paragraph');
    expect(counted(0, 'field')).toBe('0 fields');
    expect(counted(3, 'entry', 'entries')).toBe('3 entries');
    expect(counted(10_000, 'revision')).toBe('10,000 revisions');
  });

  it('signs size changes', () => {
    expect(formatDelta(1204)).toBe('+1,204');
    expect(formatDelta(-37)).toBe('−37');
    expect(formatDelta(0)).toBe('0');
  });
});
