import { MAX_DURATION_MS } from '../model/duration';

/** The longest Retry-After honoured: the model's own duration bound (P365D); beyond it the value is clamped. */
export const MAX_RETRY_AFTER_MS = MAX_DURATION_MS;

/**
 * `Retry-After` (RFC 9110 §10.2.3), parsed and clamped once for every consumer: delay-seconds or an HTTP-date →
 * milliseconds from `now`, at most MAX_RETRY_AFTER_MS. Undefined when absent or unreadable (garbage is ignored,
 * as if the header were not there). A date in the past and `0` both mean "now" (0 ms); the caller decides what
 * that means. Clamping here, not at each use, is what keeps a hostile value (`99999999999999999999`) from making
 * an instant past the largest valid Date, which once turned a 429 into a 502 and the status endpoint into a 500.
 */
export function parseRetryAfter(value: string | undefined | null, now: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  // Fractional seconds are not in the RFC, but some backends send them; accepting costs nothing.
  else if (/^\d+\.\d+$/.test(text)) ms = Math.round(Number(text) * 1000);
  else {
    // Only something shaped like an HTTP date (it has a letter and a digit) goes to Date.parse, which accepts far more.
    if (text.length > 64 || !/[A-Za-z]/.test(text) || !/\d/.test(text)) return undefined;
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    ms = Math.max(0, at - now);
  }
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

/** Whole seconds for a `Retry-After` we send: rounded up, at least 1, at most the clamp (DESIGN §3). */
export function retryAfterSeconds(ms: number): number {
  if (Number.isNaN(ms)) return 1;
  if (!(ms < MAX_RETRY_AFTER_MS)) return MAX_RETRY_AFTER_MS / 1000;
  return Math.max(1, Math.ceil(ms / 1000));
}
