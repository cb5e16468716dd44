import { describe, expect, it } from 'vitest';
import { createLru } from './lru';

describe('the most-recently-used cache (reconstructed revisions, rendered pages)', () => {
  it('keeps the most recently used texts within its budget of characters', () => {
    const cache = createLru(10, (text: string) => text.length);
    cache.set('a', 'aaaa');
    cache.set('b', 'bbbb');
    expect(cache.get('a')).toBe('aaaa'); // now the most recently used
    cache.set('c', 'cccc'); // 12 characters: the least recently used (b) goes
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('aaaa');
    expect(cache.get('c')).toBe('cccc');
    expect(cache.size).toBe(8);
  });

  it('does not keep a text bigger than the whole budget, nor count one twice', () => {
    const cache = createLru(10, (text: string) => text.length);
    cache.set('a', 'aaaa');
    cache.set('big', 'x'.repeat(11));
    expect(cache.get('big')).toBeUndefined();
    expect(cache.get('a')).toBe('aaaa');
    cache.set('a', 'aaaa');
    expect(cache.size).toBe(4);
  });
});
