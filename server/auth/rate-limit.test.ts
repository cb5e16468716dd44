import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit';

describe('rate limiter', () => {
  it('refuses events past the limit within a window, and allows them again after', () => {
    const limiter = createRateLimiter({ limit: 3, windowMs: 1000 });
    expect([1, 2, 3].map(() => limiter.hit('a', 0))).toEqual([false, false, false]);
    expect(limiter.hit('a', 10)).toBe(true);
    expect(limiter.hit('b', 10)).toBe(false);
    expect(limiter.isLimited('a', 10)).toBe(true);
    expect(limiter.isLimited('b', 10)).toBe(false);
    expect(limiter.retryAfter('a', 10)).toBe(1);
    expect(limiter.hit('a', 1000)).toBe(false);
  });
});
