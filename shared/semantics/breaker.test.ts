import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/support/fake-clock';
import { Breaker, type CompiledRule } from './breaker';
import { shouldRetry } from './retry';
import { parseRetryAfter, retryAfterSeconds } from './retry-after';

const rule = (over: Partial<CompiledRule> = {}): CompiledRule => ({
  name: 'r',
  count: 1,
  intervalMs: 60_000,
  tripMs: 60_000,
  ranges: [{ min: 429, max: 429 }, { min: 500, max: 599 }],
  acceptRetryAfter: true,
  ...over,
});

describe('B3 count windows slide over the interval', () => {
  it('count: 3 trips on the third failure inside the interval, not when the first has slid out', () => {
    const c = new FakeClock();
    const b = new Breaker(rule({ count: 3 }));
    expect(b.record(c.now(), { status: 500 })).toBeNull();
    c.advance(30_000);
    expect(b.record(c.now(), { status: 500 })).toBeNull();
    c.advance(30_000); // the first failure is now exactly one interval old: outside
    expect(b.record(c.now(), { status: 500 })).toBeNull();
    c.advance(1_000);
    expect(b.record(c.now(), { status: 503 })?.kind).toBe('trip');
  });
  it('successes do not count toward a count rule', () => {
    const c = new FakeClock();
    const b = new Breaker(rule({ count: 2 }));
    b.record(c.now(), { status: 500 });
    for (let i = 0; i < 50; i++) expect(b.record(c.advance(10), { status: 200 })).toBeNull();
    expect(b.record(c.advance(10), { status: 500 })?.kind).toBe('trip');
  });
});

describe('B3 percentage windows', () => {
  it('trips when failures / all responses in the window reach P %, and only on a failure', () => {
    const c = new FakeClock();
    const b = new Breaker(rule({ count: undefined, percentage: 50, intervalMs: 10_000 }));
    b.record(c.now(), { status: 200 });
    b.record(c.advance(100), { status: 200 });
    b.record(c.advance(100), { status: 200 });
    expect(b.record(c.advance(100), { status: 500 })).toBeNull(); // 1/4
    expect(b.record(c.advance(100), { status: 500 })).toBeNull(); // 2/5
    expect(b.record(c.advance(100), { status: 500 })?.kind).toBe('trip'); // 3/6 = 50 %
  });
  it('responses older than the interval leave the denominator and the numerator', () => {
    const c = new FakeClock();
    const b = new Breaker(rule({ count: undefined, percentage: 50, intervalMs: 10_000 }));
    for (let i = 0; i < 9; i++) b.record(c.advance(10), { status: 200 });
    expect(b.record(c.advance(10), { status: 500 })).toBeNull(); // 1/10
    c.advance(10_000); // all of those slide out
    b.record(c.now(), { status: 200 });
    expect(b.record(c.advance(10), { status: 500 })?.kind).toBe('trip'); // 1/2
  });
  it('100 % needs every response in the window to fail; a window of successes never trips', () => {
    const c = new FakeClock();
    const b = new Breaker(rule({ count: undefined, percentage: 100, intervalMs: 1_000 }));
    for (let i = 0; i < 20; i++) expect(b.record(c.advance(10), { status: 200 })).toBeNull();
    expect(b.record(c.advance(10), { status: 500 })).toBeNull();
    c.advance(2_000);
    expect(b.record(c.now(), { status: 500 })?.kind).toBe('trip');
  });
});

describe('B4 what is a failure', () => {
  it('statuses in any range (inclusive) and every transport failure; others are not', () => {
    const c = new FakeClock();
    const mk = () => new Breaker(rule({ ranges: [{ min: 429, max: 429 }] }));
    expect(mk().record(c.now(), { status: 429 })?.kind).toBe('trip');
    expect(mk().record(c.now(), { status: 500 })).toBeNull();
    expect(mk().record(c.now(), { status: 428 })).toBeNull();
    expect(mk().record(c.now(), { failure: 'timeout' })).toMatchObject({ kind: 'trip', reason: 'timeout' });
    expect(mk().record(c.now(), { failure: 'connection-failure' })).toMatchObject({ kind: 'trip', reason: 'connection-failure' });
  });
  it('a backend without a rule never opens', () => {
    const b = new Breaker(undefined);
    expect(b.record(0, { failure: 'timeout' })).toBeNull();
    expect(b.isOpen(0)).toBe(false);
  });
});

describe('B5 open duration', () => {
  it('tripDuration without Retry-After; closes fully when openUntil passes', () => {
    const c = new FakeClock();
    const b = new Breaker(rule({ count: 2, tripMs: 60_000 }));
    b.record(c.now(), { status: 500 });
    const t = b.record(c.now(), { status: 500 });
    expect(t).toMatchObject({ kind: 'trip', openUntil: c.t + 60_000 });
    c.advance(59_999);
    expect(b.isOpen(c.now())).toBe(true);
    c.advance(1);
    expect(b.isOpen(c.now())).toBe(false);
    // fully reset: the failures before the trip are gone, one new failure does not trip a count-2 rule
    expect(b.record(c.now(), { status: 500 })).toBeNull();
  });
  it('Retry-After seconds replaces tripDuration when acceptRetryAfter is true, and only then', () => {
    const c = new FakeClock();
    const yes = new Breaker(rule({ tripMs: 60_000 }));
    expect(yes.record(c.now(), { status: 429, retryAfterMs: 30_000 })).toMatchObject({ openUntil: c.t + 30_000, reason: '429, Retry-After 30' });
    const no = new Breaker(rule({ tripMs: 60_000, acceptRetryAfter: false }));
    expect(no.record(c.now(), { status: 429, retryAfterMs: 30_000 })).toMatchObject({ openUntil: c.t + 60_000, reason: '429' });
  });
  it('HTTP-date Retry-After: open until that date', () => {
    const c = new FakeClock();
    const date = new Date(c.t + 90_000).toUTCString();
    const ms = parseRetryAfter(date, c.now());
    expect(ms).toBe(90_000);
    const b = new Breaker(rule());
    expect(b.record(c.now(), { status: 429, retryAfterMs: ms })).toMatchObject({ openUntil: c.t + 90_000 });
    expect(parseRetryAfter('120', c.now())).toBe(120_000);
    expect(parseRetryAfter('not a date', c.now())).toBeUndefined();
    expect(parseRetryAfter(new Date(c.t - 5_000).toUTCString(), c.now())).toBe(0);
  });
  it('Retry-After is uncapped (a day stays a day)', () => {
    const b = new Breaker(rule());
    expect(b.record(0, { status: 429, retryAfterMs: 86_400_000 })).toMatchObject({ openUntil: 86_400_000 });
  });
  it('a failure that arrives while open extends openUntil only if it ends later', () => {
    const c = new FakeClock();
    const b = new Breaker(rule({ tripMs: 60_000 }));
    b.record(c.now(), { status: 429, retryAfterMs: 30_000 });
    const first = b.openUntil;
    expect(b.record(c.advance(1_000), { status: 429, retryAfterMs: 5_000 })).toBeNull();
    expect(b.openUntil).toBe(first);
    expect(b.record(c.advance(1_000), { status: 200 })).toBeNull();
    expect(b.record(c.now(), { status: 429, retryAfterMs: 40_000 })).toMatchObject({ kind: 'extend', openUntil: c.t + 40_000 });
  });
  it('manual reset closes at once', () => {
    const b = new Breaker(rule());
    b.record(0, { status: 500 });
    expect(b.isOpen(1)).toBe(true);
    b.close();
    expect(b.isOpen(1)).toBe(false);
    expect(b.openUntil).toBe(0);
  });
  it('retryAfterSeconds rounds up, at least 1', () => {
    expect(retryAfterSeconds(0)).toBe(1);
    expect(retryAfterSeconds(1_001)).toBe(2);
    expect(retryAfterSeconds(30_000)).toBe(30);
  });
});

describe('B8 retry decision', () => {
  const on = new Set([429, 503]);
  it('retries a listed status while tries remain and the body is replayable', () => {
    expect(shouldRetry({ status: 429 }, 1, 1, on, true)).toBe(true);
    expect(shouldRetry({ status: 500 }, 1, 1, on, true)).toBe(false);
    expect(shouldRetry({ status: 429 }, 2, 1, on, true)).toBe(false); // exhausted: the last response passes through
    expect(shouldRetry({ status: 429 }, 1, 1, on, false)).toBe(false); // body too large to buffer
    expect(shouldRetry({ status: 429 }, 1, 0, on, true)).toBe(false); // count 0 = no retry
  });
  it('F-RETRY-3: no response counts as APIM\'s 500, so only a list naming 500 re-sends it', () => {
    expect(shouldRetry({ failure: 'connection-failure' }, 1, 1, on, true)).toBe(false);
    expect(shouldRetry({ failure: 'timeout' }, 1, 1, on, true)).toBe(false);
    expect(shouldRetry({ failure: 'connection-failure' }, 1, 1, new Set([429, 500]), true)).toBe(true);
    expect(shouldRetry({ failure: 'timeout' }, 1, 1, new Set([500]), true)).toBe(true);
  });
});
