import { describe, expect, it } from 'vitest';
import { dateSortKey, formatFuzzyDate, isFuzzyDate, parseFuzzyDate } from './dates';

describe('fuzzy dates', () => {
  it('reads each precision', () => {
    expect(parseFuzzyDate('1923-05-14')?.from).toEqual({ year: 1923, month: 5, day: 14, precision: 'day' });
    expect(parseFuzzyDate('1923-05')?.from.precision).toBe('month');
    expect(parseFuzzyDate('1923')?.from.precision).toBe('year');
    expect(parseFuzzyDate('1920s')?.from).toEqual({ year: 1920, precision: 'decade' });
  });

  it('reads ranges and open dates', () => {
    expect(formatFuzzyDate('1934/1935')).toBe('1934–1935');
    expect(formatFuzzyDate('after 1958')).toBe('after 1958');
    expect(formatFuzzyDate('c. 1925')).toBe('c. 1925');
    expect(formatFuzzyDate('1923-05-14')).toBe('14 May 1923');
    expect(formatFuzzyDate('1927-04')).toBe('April 1927');
  });

  it('rejects what is not a date', () => {
    for (const bad of ['1923-13', '1923-02-30', '1925s', 'soon', '1935/1934', '', '19234']) {
      expect(isFuzzyDate(bad), bad).toBe(false);
    }
  });

  it('orders by the earliest day a date can mean', () => {
    const sorted = ['1927', '1920s', 'after 1926-06', '1926-05-03'].sort((a, b) => dateSortKey(a)!.localeCompare(dateSortKey(b)!));
    expect(sorted).toEqual(['1920s', '1926-05-03', 'after 1926-06', '1927']);
  });
});
