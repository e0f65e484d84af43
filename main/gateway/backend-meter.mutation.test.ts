import { describe, expect, it } from 'vitest';
import { FAILURE_REASONS } from '../../shared/monitor';
import { BackendMeter, PROM_BUCKETS, WINDOW_SECONDS } from './backend-meter';

/*
 * The meter's counts, exactly: what one second holds, what the 15-minute window holds while a second is in it and
 * after it slid out, which failures are requests, and which Prometheus bucket a latency lands in at the edges.
 */

const empty = { requests: 0, failures: 0, byStatus: {}, failuresByReason: {}, tokens: { prompt: 0, completion: 0 } };

/** Folds the seconds from `from` up to (not including) `to`, all empty. */
function foldEmpty(m: BackendMeter, from: number, to: number): void {
  for (let s = from; s < to; s++) m.fold(s);
}

describe('BackendMeter window', () => {
  it('a second that slides out of the window takes every one of its counts with it', () => {
    const m = new BackendMeter();
    m.status(200, false);
    m.status(429, true);
    m.status(503, true);
    m.status(503, true);
    m.failure('timeout');
    m.failure('body-error', true);
    m.failure('client-abort', true);
    m.tokens(10, 4);
    m.fold(0);
    m.status(200, false);
    m.status(200, false);
    m.status(200, false);
    m.tokens(1, 2);
    m.fold(1);
    expect(m.windowView()).toEqual({
      requests: 8,
      failures: 5,
      byStatus: { '200': 4, '429': 1, '503': 2 },
      failuresByReason: { status: 3, timeout: 1, 'body-error': 1, 'client-abort': 1 },
      tokens: { prompt: 11, completion: 6 },
    });
    foldEmpty(m, 2, WINDOW_SECONDS);
    expect(m.windowView().requests).toBe(8);
    m.fold(WINDOW_SECONDS); // second 0 leaves: second 1 alone is left
    expect(m.windowView()).toEqual({ requests: 3, failures: 0, byStatus: { '200': 3 }, failuresByReason: {}, tokens: { prompt: 1, completion: 2 } });
    m.fold(WINDOW_SECONDS + 1);
    expect(m.windowView()).toEqual(empty);
    // Totals since start are never windowed.
    expect(m.total.requests).toBe(8);
    expect(m.total.failures).toBe(5);
  });

  it('the window view includes the second in progress', () => {
    const m = new BackendMeter();
    m.status(200, false);
    m.fold(0);
    m.status(500, false);
    expect(m.windowView()).toEqual({ requests: 2, failures: 0, byStatus: { '200': 1, '500': 1 }, failuresByReason: {}, tokens: { prompt: 0, completion: 0 } });
  });

  it('a status code beyond 599 is counted as status 0', () => {
    const m = new BackendMeter();
    m.status(599, false);
    m.status(600, false);
    m.status(999, true);
    expect(m.fold(0)).toMatchObject({ requests: 3, failures: 1, byStatus: { '0': 2, '599': 1 }, failuresByReason: { status: 1 } });
    expect(m.total.byStatus()).toEqual({ '0': 2, '599': 1 });
  });
});

describe('BackendMeter failures', () => {
  it('a failed status is one request and one failure; a status not failed by the rule is no failure', () => {
    const m = new BackendMeter();
    m.status(429, true);
    m.status(500, false);
    const b = m.fold(0);
    expect({ requests: b.requests, failures: b.failures, byStatus: b.byStatus, failuresByReason: b.failuresByReason }).toEqual({
      requests: 2,
      failures: 1,
      byStatus: { '429': 1, '500': 1 },
      failuresByReason: { status: 1 },
    });
  });

  it('a try without a response is a request unless already counted; a problem after the headers is not a request', () => {
    const m = new BackendMeter();
    m.failure('timeout');
    m.failure('connection-failure');
    m.failure('timeout', true);
    m.failure('connection-failure', true);
    m.failure('body-error');
    m.failure('status');
    m.failure('client-abort');
    const b = m.fold(0);
    expect({ requests: b.requests, failures: b.failures, failuresByReason: b.failuresByReason, byStatus: b.byStatus }).toEqual({
      requests: 2,
      failures: 6,
      failuresByReason: { timeout: 2, 'connection-failure': 2, 'body-error': 1, status: 1, 'client-abort': 1 },
      byStatus: {},
    });
    expect(m.total.requests).toBe(2);
    expect(m.total.failures).toBe(6);
  });
});

describe('BackendMeter: a second with counts but no request is still closed into the window', () => {
  /** Folds second 0 with what `count` does, then second 1 empty: second 1 must not repeat second 0. */
  function twoSeconds(count: (m: BackendMeter) => void) {
    const m = new BackendMeter();
    count(m);
    const first = m.fold(0);
    const second = m.fold(1);
    return { m, first, second };
  }

  it('only a client abort', () => {
    const { m, first, second } = twoSeconds((x) => x.failure('client-abort', true));
    expect(first.failuresByReason).toEqual({ 'client-abort': 1 });
    expect(second.failuresByReason).toEqual({});
    expect(m.windowView()).toEqual({ ...empty, failuresByReason: { 'client-abort': 1 } });
  });

  it('one of every failure reason, none of them a request', () => {
    const { m, first, second } = twoSeconds((x) => {
      for (const r of FAILURE_REASONS) x.failure(r, true);
    });
    const all = Object.fromEntries(FAILURE_REASONS.map((r) => [r, 1]));
    expect(first).toMatchObject({ requests: 0, failures: FAILURE_REASONS.length - 1, failuresByReason: all });
    expect(second).toMatchObject({ requests: 0, failures: 0, failuresByReason: {} });
    expect(m.windowView()).toEqual({ ...empty, failures: FAILURE_REASONS.length - 1, failuresByReason: all });
  });

  it('only prompt tokens, or only completion tokens', () => {
    const prompt = twoSeconds((x) => x.tokens(5, 0));
    expect(prompt.first.tokens).toEqual({ prompt: 5, completion: 0 });
    expect(prompt.second.tokens).toEqual({ prompt: 0, completion: 0 });
    expect(prompt.m.windowView().tokens).toEqual({ prompt: 5, completion: 0 });
    const completion = twoSeconds((x) => x.tokens(0, 7));
    expect(completion.first.tokens).toEqual({ prompt: 0, completion: 7 });
    expect(completion.second.tokens).toEqual({ prompt: 0, completion: 0 });
    expect(completion.m.windowView().tokens).toEqual({ prompt: 0, completion: 7 });
  });
});

describe('BackendMeter Prometheus histogram', () => {
  it('a latency lands in the first bucket whose bound it does not exceed (bounds inclusive); beyond the last, in none', () => {
    const m = new BackendMeter();
    // ms → bucket index: 0 and 5 ms (= 0.005 s) in the first, just over 5 ms in the second, 10 ms too, 2.5 s in
    // "2.5", 120 s in the last, 120.001 s in none (only in the count, Prometheus' +Inf).
    for (const ms of [0, 5, 5.001, 10, 2500, 120_000, 120_001]) m.latencyMs(ms);
    const expected = new Array<number>(PROM_BUCKETS.length).fill(0);
    expected[0] = 2;
    expected[1] = 2;
    expected[PROM_BUCKETS.indexOf(2.5)] = 1;
    expected[PROM_BUCKETS.length - 1] = 1;
    expect(Array.from(m.promBuckets)).toEqual(expected);
    expect(m.promCount).toBe(7);
    expect(m.promSum).toBeCloseTo((0 + 5 + 5.001 + 10 + 2500 + 120_000 + 120_001) / 1000, 9);
  });
});
