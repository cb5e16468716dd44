/** Characters a reader types for one another: quotes and apostrophes, double quotes, dashes. */
const ALIKE: string[] = ["'‘’`´", '"“”„«»', '-‐‑‒–—―'];

const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The pattern of a typed search: letters in any case, any run of spaces (line breaks, no-break spaces) for a space, any quote for a quote, any dash for a dash. */
function patternOf(query: string): RegExp | null {
  if (!query.trim()) return null;
  const parts: string[] = [];
  for (const part of query.split(/(\s+)/u)) {
    if (/^\s+$/u.test(part)) parts.push('\\s+');
    else for (const c of part) {
      const kind = ALIKE.find((set) => set.includes(c));
      parts.push(kind ? `[${escape(kind)}]` : escape(c));
    }
  }
  return new RegExp(parts.join(''), 'giu');
}

/**
 * Where `query` next occurs in `text` at or after `from`, wrapping round to the start, as a
 * browser's find does (case, line breaks and the kind of quote or dash do not matter); null
 * when it does not occur.
 */
export function findPassage(text: string, query: string, from = 0): { start: number; end: number } | null {
  const pattern = patternOf(query);
  if (!pattern) return null;
  for (const at of [from, 0]) {
    pattern.lastIndex = at;
    const match = pattern.exec(text);
    if (match) return { start: match.index, end: match.index + match[0].length };
  }
  return null;
}
