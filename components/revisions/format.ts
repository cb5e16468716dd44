// Built once: `toLocaleString` with options builds a new formatter on every call (~0.3 ms here each).
const timestamp = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
const integer = new Intl.NumberFormat('en');

/** "3 Nov 2026, 14:05 UTC" */
export function formatTimestamp(date: Date): string {
  return `${timestamp.format(date)} UTC`;
}

/** "+1,204" / "−37" / "0" */
export function formatDelta(delta: number): string {
  if (delta === 0) return '0';
  return `${delta > 0 ? '+' : '−'}${integer.format(Math.abs(delta))}`;
}

/** "1 word", "3 words", "0 fields" (English plurals with an -s unless given). */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${integer.format(n)} ${n === 1 ? singular : plural}`;
}

export const KIND_LABELS: Record<string, string> = { seed: 'seeded', manual: 'saved', auto: 'automatic', restore: 'restore' };
