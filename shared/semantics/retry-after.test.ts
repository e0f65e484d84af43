import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, parseRetryAfter, retryAfterSeconds } from './retry-after';

// Each reading of Retry-After on its own (added from the mutation run's survivors: every one of these changes a
// decision a mutant got through unnoticed).
const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);

describe('parseRetryAfter', () => {
  it('absent, empty or blank is undefined', () => {
    for (const v of [undefined, null, '', '   ']) expect(parseRetryAfter(v, NOW)).toBeUndefined();
  });
  it('delay-seconds, surrounding spaces ignored', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(' 7 ', NOW)).toBe(7_000);
    expect(parseRetryAfter('0', NOW)).toBe(0);
  });
  it('fractional seconds, rounded to the millisecond', () => {
    expect(parseRetryAfter('1.5', NOW)).toBe(1_500);
    expect(parseRetryAfter('12.0004', NOW)).toBe(12_000);
    expect(parseRetryAfter('0.25', NOW)).toBe(250);
  });
  it('numbers with anything before or after them are garbage', () => {
    for (const v of ['12abc', 'x12', '1.5s', '.5', '5.', '1.2.3', '-3', '+3', '1e3']) expect(parseRetryAfter(v, NOW), v).toBeUndefined();
  });
  it('an HTTP date: milliseconds until then, a past date is 0', () => {
    expect(parseRetryAfter(new Date(NOW + 30_000).toUTCString(), NOW)).toBe(30_000);
    expect(parseRetryAfter(new Date(NOW - 5_000).toUTCString(), NOW)).toBe(0);
  });
  it('only date-shaped text goes to Date.parse (a letter and a digit, at most 64 characters)', () => {
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter('2026-11-25', NOW)).toBeUndefined(); // no letter: not an HTTP date
    expect(parseRetryAfter(`${new Date(NOW + 1_000).toUTCString()}${' '.repeat(60)}x`, NOW)).toBeUndefined();
  });
  it('clamps at the model bound, however large the value', () => {
    expect(parseRetryAfter('99999999999999999999', NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter(String(MAX_RETRY_AFTER_MS / 1000 - 1), NOW)).toBe(MAX_RETRY_AFTER_MS - 1_000);
  });
});

describe('retryAfterSeconds', () => {
  it('whole seconds rounded up, at least 1, at most the clamp', () => {
    expect(retryAfterSeconds(0)).toBe(1);
    expect(retryAfterSeconds(1)).toBe(1);
    expect(retryAfterSeconds(1_000)).toBe(1);
    expect(retryAfterSeconds(1_001)).toBe(2);
    expect(retryAfterSeconds(Number.NaN)).toBe(1);
    expect(retryAfterSeconds(MAX_RETRY_AFTER_MS)).toBe(MAX_RETRY_AFTER_MS / 1000);
    expect(retryAfterSeconds(Number.POSITIVE_INFINITY)).toBe(MAX_RETRY_AFTER_MS / 1000);
  });
});
