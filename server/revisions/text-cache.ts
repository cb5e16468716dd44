/**
 * Texts by key, the most recently used kept up to `maxChars` characters in all: reconstructed
 * revisions, which never change. A text longer than the whole budget is not kept.
 */
export function createTextCache(maxChars: number) {
  const texts = new Map<string, string>(); // in order of last use
  let chars = 0;
  return {
    get(key: string): string | undefined {
      const text = texts.get(key);
      if (text !== undefined) {
        texts.delete(key);
        texts.set(key, text);
      }
      return text;
    },
    set(key: string, text: string): void {
      if (texts.has(key) || text.length > maxChars) return;
      texts.set(key, text);
      chars += text.length;
      for (const [oldest, old] of texts) {
        if (chars <= maxChars) break;
        texts.delete(oldest);
        chars -= old.length;
      }
    },
    /** Characters kept now. */
    get size(): number {
      return chars;
    },
  };
}
