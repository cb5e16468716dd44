/**
 * Values by key, the most recently used kept up to `maxSize` in all, as `sizeOf` measures them
 * (characters, bytes). A value bigger than the whole budget is not kept.
 */
export function createLru<V>(maxSize: number, sizeOf: (value: V) => number) {
  const entries = new Map<string, V>(); // in order of last use
  let size = 0;
  const lru = {
    get(key: string): V | undefined {
      const value = entries.get(key);
      if (value !== undefined) {
        entries.delete(key);
        entries.set(key, value);
      }
      return value;
    },
    set(key: string, value: V): void {
      lru.delete(key);
      if (sizeOf(value) > maxSize) return;
      entries.set(key, value);
      size += sizeOf(value);
      for (const oldest of entries.keys()) {
        if (size <= maxSize) break;
        lru.delete(oldest);
      }
    },
    delete(key: string): void {
      const value = entries.get(key);
      if (value === undefined) return;
      entries.delete(key);
      size -= sizeOf(value);
    },
    /** The size of what is kept now. */
    get size(): number {
      return size;
    },
  };
  return lru;
}
