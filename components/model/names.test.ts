import { describe, expect, it } from 'vitest';
import { normalizeName, slugify } from './names';

describe('names', () => {
  it('folds accents, case, apostrophes and punctuation', () => {
    expect(normalizeName('Mustafa Kemal Atatürk')).toBe('mustafa kemal ataturk');
    expect(normalizeName('Chiang Kai-shek')).toBe('chiang kai shek');
    expect(normalizeName('People’s Republic')).toBe('peoples republic');
  });

  it('makes Unicode-safe slugs', () => {
    expect(slugify('Treaty of Rapallo')).toBe('treaty-of-rapallo');
    expect(slugify('Édouard Herriot')).toBe('edouard-herriot');
    expect(slugify('毛泽东')).toBe('毛泽东');
    expect(slugify('!!!')).toBe('untitled');
  });
});
