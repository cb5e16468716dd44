import { describe, expect, it } from 'vitest';
import { segmentSource } from './segments';

describe('segmentSource', () => {
  const text = 'Home > News\nAlpha beta gamma delta.\nCaption.Open in new tab\nEnd.';

  it('keeps every character exactly once, in order', () => {
    const segments = segmentSource(text, [{ start: 12, end: 22 }, { start: 18, end: 28 }]);
    expect(segments.map((s) => s.text).join('')).toBe(text);
  });

  it('marks overlapping passages and where each begins', () => {
    const segments = segmentSource(text, [{ start: 12, end: 22 }, { start: 18, end: 28 }]);
    const covering = segments.filter((s) => s.passages.length === 2);
    expect(covering.map((s) => s.text)).toEqual(['beta']);
    expect(segments.find((s) => s.start === 12)?.anchors).toEqual([0]);
    expect(segments.find((s) => s.start === 18)?.anchors).toEqual([1]);
  });

  it('de-emphasises page furniture lines only', () => {
    const furniture = segmentSource(text, []).filter((s) => s.furniture).map((s) => s.text);
    expect(furniture).toEqual(['Home > News', 'Open in new tab']);
    expect(segmentSource(text, []).find((s) => s.text.includes('Caption'))?.furniture).toBe(false);
  });
});
