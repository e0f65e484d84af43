/**
 * `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Returns milliseconds from `now`, or undefined
 * when absent or unreadable. A date in the past and `0` both mean "now" (0 ms); the caller decides what that means.
 */
export function parseRetryAfter(value: string | undefined | null, now: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Fractional seconds are not in the RFC, but some backends send them; accepting costs nothing.
  if (/^\d+\.\d+$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Whole seconds for a `Retry-After` we send: rounded up, at least 1 (DESIGN §3). */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
