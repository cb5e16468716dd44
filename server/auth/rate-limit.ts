type Window = { start: number; count: number };

/**
 * Fixed-window counters per key (e.g. "login:<ip>"), in this process's memory. `hit` records
 * one event and says whether the key is over its limit.
 */
export function createRateLimiter({ limit, windowMs }: { limit: number; windowMs: number }) {
  const windows = new Map<string, Window>();
  return {
    /** True when this event is over the limit (and should be refused). */
    hit(key: string, now = Date.now()): boolean {
      let w = windows.get(key);
      if (!w || now - w.start >= windowMs) {
        w = { start: now, count: 0 };
        windows.set(key, w);
      }
      w.count++;
      if (windows.size > 10_000) {
        for (const [k, v] of windows) if (now - v.start >= windowMs) windows.delete(k);
      }
      return w.count > limit;
    },
    /** True when the key has used up its limit in the current window (without counting an event). */
    isLimited(key: string, now = Date.now()): boolean {
      const w = windows.get(key);
      return Boolean(w && now - w.start < windowMs && w.count >= limit);
    },
    /** Seconds until the key's window resets. */
    retryAfter(key: string, now = Date.now()): number {
      const w = windows.get(key);
      return w ? Math.max(1, Math.ceil((w.start + windowMs - now) / 1000)) : 0;
    },
    reset(key: string): void {
      windows.delete(key);
    },
  };
}
