/**
 * The most events in any window [t, t + `windowMs`) that starts at an event: what a rate limit of
 * N per second promises never to exceed (a sliding window, not the calendar's seconds).
 */
export function busiestSecond(times: readonly number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; start < sorted.length; start++) {
    while (end < sorted.length && (sorted[end] ?? 0) < (sorted[start] ?? 0) + windowMs) end++;
    most = Math.max(most, end - start);
  }
  return most;
}
