import { describe, expect, it } from 'vitest';
import { LatencyWindow } from './latency-window';

/*
 * The rolling latency window the status document and the monitor show: percentiles in milliseconds (two
 * significant digits, as HdrHistogram keeps them), a second folded into its slot, and the slot that falls out of
 * the window subtracted again.
 */

/** HdrHistogram answers the top of a value's bucket (10 ms reads 10.05): compare at the two digits it keeps. */
const sig2 = (s: { p50: number | null; p90: number | null; p99: number | null }) =>
  Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v === null ? null : Number(v.toPrecision(2))]));

describe('LatencyWindow', () => {
  it('is empty until something is recorded', () => {
    const w = new LatencyWindow(3);
    expect(w.summary()).toEqual({ p50: null, p90: null, p99: null });
    expect(w.fold(0)).toEqual({ p50: null, p90: null, p99: null });
    expect(w.summary()).toEqual({ p50: null, p90: null, p99: null });
  });

  it('reports the second in progress before it is folded, in milliseconds', () => {
    const w = new LatencyWindow(3);
    for (let i = 1; i <= 100; i++) w.record(i);
    expect(sig2(w.summary())).toEqual({ p50: 50, p90: 90, p99: 99 });
  });

  it('keeps sub-millisecond values to the microsecond and never records less than 1 µs', () => {
    const w = new LatencyWindow(2);
    w.record(0.25);
    expect(sig2(w.summary())).toEqual({ p50: 0.25, p90: 0.25, p99: 0.25 });
    const zero = new LatencyWindow(2);
    zero.record(0);
    expect(zero.summary()).toEqual({ p50: 0, p90: 0, p99: 0 });
    expect(zero.current.totalCount).toBe(1);
    expect(zero.current.maxValue).toBe(1);
  });

  it('fold returns that second alone and keeps it in the window', () => {
    const w = new LatencyWindow(3);
    w.record(10);
    expect(sig2(w.fold(0))).toEqual({ p50: 10, p90: 10, p99: 10 });
    expect(w.current.totalCount).toBe(0);
    w.record(20);
    // The window (10) plus the second in progress (20).
    expect(sig2(w.summary())).toEqual({ p50: 10, p90: 20, p99: 20 });
    expect(sig2(w.fold(1))).toEqual({ p50: 20, p90: 20, p99: 20 });
    expect(sig2(w.summary())).toEqual({ p50: 10, p90: 20, p99: 20 });
  });

  it('subtracts the slot that falls out of the window (index modulo the size)', () => {
    const w = new LatencyWindow(2);
    w.record(10);
    w.fold(0);
    w.record(30);
    w.fold(1);
    expect(sig2(w.summary())).toEqual({ p50: 10, p90: 30, p99: 30 });
    // Second 2 reuses slot 0: the 10 ms leaves the window.
    w.record(50);
    w.fold(2);
    expect(sig2(w.summary())).toEqual({ p50: 30, p90: 50, p99: 50 });
    // An empty second 3 empties slot 1: only the 50 ms is left.
    w.fold(3);
    expect(sig2(w.summary())).toEqual({ p50: 50, p90: 50, p99: 50 });
    w.fold(4);
    expect(w.summary()).toEqual({ p50: null, p90: null, p99: null });
    // A reused slot takes new values again.
    w.record(70);
    w.fold(5);
    expect(sig2(w.summary())).toEqual({ p50: 70, p90: 70, p99: 70 });
  });
});

/*
 * Exact values: microseconds at 2 significant digits, so a value reads as the top of its HdrHistogram bucket
 * (128 sub-buckets per power of two): 10 ms → 10.05, 20 ms → 20.1, 1234.5 ms → 1236.99, 0.25 ms stays 0.25.
 */
describe('LatencyWindow exact percentiles', () => {
  it('percentiles at bucket edges, over the window and the second in progress, and after a second slides out', () => {
    const w = new LatencyWindow(2);
    w.record(10);
    w.record(0.25);
    expect(w.summary()).toEqual({ p50: 0.25, p90: 10.05, p99: 10.05 });
    expect(w.fold(0)).toEqual({ p50: 0.25, p90: 10.05, p99: 10.05 });
    w.record(20);
    w.record(1234.5);
    // Four values: the median is the second (10 ms), p90 and p99 the largest.
    expect(w.summary()).toEqual({ p50: 10.05, p90: 1236.99, p99: 1236.99 });
    expect(w.fold(1)).toEqual({ p50: 20.1, p90: 1236.99, p99: 1236.99 });
    expect(w.summary()).toEqual({ p50: 10.05, p90: 1236.99, p99: 1236.99 });
    w.fold(2); // second 0 leaves
    expect(w.summary()).toEqual({ p50: 20.1, p90: 1236.99, p99: 1236.99 });
  });

  it('takes a latency of over an hour (the histogram grows) without losing the others', () => {
    const w = new LatencyWindow(3);
    w.record(7_200_000);
    w.record(1);
    expect(w.summary()).toEqual({ p50: 1, p90: 7_214_202.88, p99: 7_214_202.88 });
    expect(w.fold(0)).toEqual({ p50: 1, p90: 7_214_202.88, p99: 7_214_202.88 });
    expect(w.summary()).toEqual({ p50: 1, p90: 7_214_202.88, p99: 7_214_202.88 });
  });
});
