/**
 * Dates as the sources give them, with their precision: `1923-05-14` (day), `1923-05` (month),
 * `1923` (year), `1920s` (decade), optionally `c. `, `after ` or `before ` in front, or a range
 * `1934/1935`. Stored as these strings; parsed for display and ordering.
 */
export type Precision = 'day' | 'month' | 'year' | 'decade';
export type SimpleDate = { year: number; month?: number; day?: number; precision: Precision };
export type FuzzyDate = {
  qualifier?: 'circa' | 'after' | 'before';
  from: SimpleDate;
  /** Present for ranges; the end of the range. */
  to?: SimpleDate;
};

const SIMPLE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$|^(\d{3}0)s$/;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function parseSimple(text: string): SimpleDate | null {
  const m = SIMPLE.exec(text.trim());
  if (!m) return null;
  if (m[4]) return { year: Number(m[4]), precision: 'decade' };
  const year = Number(m[1]);
  if (!m[2]) return { year, precision: 'year' };
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  if (!m[3]) return { year, month, precision: 'month' };
  const day = Number(m[3]);
  if (day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  return { year, month, day, precision: 'day' };
}

/** Parses the date grammar; null when the text is not a date in it. */
export function parseFuzzyDate(text: string): FuzzyDate | null {
  const trimmed = text.trim();
  const q = /^(c\.|after|before)\s+(.+)$/.exec(trimmed);
  if (q) {
    const from = parseSimple(q[2]);
    const qualifier = q[1] === 'c.' ? 'circa' : (q[1] as 'after' | 'before');
    return from ? { qualifier, from } : null;
  }
  const parts = trimmed.split('/');
  if (parts.length === 2) {
    const from = parseSimple(parts[0]);
    const to = parseSimple(parts[1]);
    if (!from || !to || sortKey(from) > sortKey(to)) return null;
    return { from, to };
  }
  const from = parseSimple(trimmed);
  return from ? { from } : null;
}

/** True when `text` is in the date grammar. */
export function isFuzzyDate(text: string): boolean {
  return parseFuzzyDate(text) !== null;
}

function formatSimple(d: SimpleDate): string {
  switch (d.precision) {
    case 'decade':
      return `${d.year}s`;
    case 'year':
      return String(d.year);
    case 'month':
      return `${MONTHS[d.month! - 1]} ${d.year}`;
    case 'day':
      return `${d.day} ${MONTHS[d.month! - 1]} ${d.year}`;
  }
}

/** Human form: "14 May 1923", "May 1923", "1920s", "c. 1925", "after 1958", "1934–1935". */
export function formatFuzzyDate(text: string): string {
  const d = parseFuzzyDate(text);
  if (!d) return text;
  if (d.to) return `${formatSimple(d.from)}–${formatSimple(d.to)}`;
  const prefix = d.qualifier === 'circa' ? 'c. ' : d.qualifier ? `${d.qualifier} ` : '';
  return prefix + formatSimple(d.from);
}

function sortKey(d: SimpleDate): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${String(d.year).padStart(4, '0')}-${pad(d.month ?? 1)}-${pad(d.day ?? 1)}`;
}

/** The earliest day the date can mean, `YYYY-MM-DD`, for ordering a timeline; null when unparseable. */
export function dateSortKey(text: string): string | null {
  const d = parseFuzzyDate(text);
  return d ? sortKey(d.from) : null;
}

/** The precision shown next to a date on the timeline ("day", "decade", "range"…). */
export function datePrecisionLabel(text: string): string | null {
  const d = parseFuzzyDate(text);
  if (!d) return null;
  if (d.to) return 'range';
  if (d.qualifier === 'circa') return `approx. ${d.from.precision}`;
  if (d.qualifier) return `${d.qualifier} (open)`;
  return d.from.precision;
}
