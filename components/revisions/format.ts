/** "3 Nov 2026, 14:05 UTC" */
export function formatTimestamp(date: Date): string {
  return `${date.toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' })} UTC`;
}

/** "+1,204" / "−37" / "0" */
export function formatDelta(delta: number): string {
  if (delta === 0) return '0';
  return `${delta > 0 ? '+' : '−'}${Math.abs(delta).toLocaleString('en')}`;
}

export const KIND_LABELS: Record<string, string> = { seed: 'seeded', manual: 'saved', auto: 'automatic', restore: 'restore' };
