// Helpers of the scripts that read BENCH_SOCKET_LOG files (socket-stages.mjs, durable-stages.mjs).

/**
 * The first value of an ascending array at or after `t`; undefined when there is none (or no
 * array), so that a time computed from it is NaN.
 * @param {number[] | undefined} times
 * @param {number} t
 * @returns {number | undefined}
 */
export function firstAtOrAfter(times, t) {
  if (!times) return undefined;
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return times[lo];
}
