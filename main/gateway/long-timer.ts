/*
 * Node's timers take at most 2^31-1 ms (≈ 24.9 days); a longer delay is replaced by 1 ms with a
 * TimeoutOverflowWarning, which turned a long breaker open period into a timer firing every millisecond. Reset
 * timers are armed for at most this long; the engine re-arms when one fires while the breaker is still open, so a
 * long period is a short chain of timers.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The delay to arm for an instant `until`: at least 1 ms, never over MAX_TIMER_MS, never NaN. */
export function timerDelay(until: number, now: number): number {
  const ms = until - now;
  if (!(ms > 1)) return 1;
  return ms > MAX_TIMER_MS ? MAX_TIMER_MS : ms;
}

/** ISO text of an instant, clamped to the range a Date can hold, so no input can make toISOString throw. */
export function isoClamped(t: number): string {
  const MAX_DATE_MS = 8.64e15;
  return new Date(Number.isNaN(t) ? 0 : Math.max(-MAX_DATE_MS, Math.min(MAX_DATE_MS, t))).toISOString();
}
