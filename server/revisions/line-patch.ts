import type { LinePatch } from '@/db/schema';

/**
 * The patch turning `before` into `after`: the lines between their common prefix and common
 * suffix are replaced. Its size follows the span of what changed, not the size of the page.
 */
export function makePatch(before: string[], after: string[]): LinePatch {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before[start] === after[start]) start++;
  let tail = 0;
  while (tail < max - start && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  return { start, deleteCount: before.length - start - tail, insert: after.slice(start, after.length - tail) };
}

/** Applies a patch made by `makePatch`. */
export function applyPatch(before: string[], patch: LinePatch): string[] {
  return [...before.slice(0, patch.start), ...patch.insert, ...before.slice(patch.start + patch.deleteCount)];
}
