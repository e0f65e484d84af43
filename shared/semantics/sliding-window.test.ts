import { describe, expect, it } from 'vitest';
import { CountWindow, PercentageWindow } from './sliding-window';

// The windows on their own, at their edges (added from the mutation run's survivors). Times are plain numbers:
// the windows take `now` from the caller, so no clock is involved.
describe('CountWindow (count: N failures within interval)', () => {
  it('holds at the Nth failure inside the interval, not at N-1, not when the oldest is exactly interval old', () => {
    const w = new CountWindow(3, 1_000);
    expect(w.record(0, true)).toBe(false);
    expect(w.record(10, false)).toBe(false); // successes do not count
    expect(w.record(500, true)).toBe(false);
    expect(w.record(999, true)).toBe(true);
    const edge = new CountWindow(2, 1_000);
    edge.record(0, true);
    expect(edge.record(1_000, true)).toBe(false); // the first is exactly one interval old: outside
  });

  it('slides once the ring is full: the oldest of the last N decides', () => {
    const w = new CountWindow(2, 1_000);
    w.record(0, true);
    expect(w.record(2_000, true)).toBe(false);
    expect(w.record(2_999, true)).toBe(true);
    expect(w.record(4_000, true)).toBe(false); // 2_999 is 1_001 ms old: outside
    expect(w.record(4_999, true)).toBe(true); // 4_000 is 999 ms old: inside
    expect(w.record(5_999, true)).toBe(false); // 4_999 is exactly one interval old: outside
  });

  it('counts failures inside the window only, and clear forgets them', () => {
    const w = new CountWindow(5, 1_000);
    for (const t of [0, 400, 900]) w.record(t, true);
    expect(w.counts(1_000)).toEqual({ failures: 2, total: 2 }); // 0 is exactly one interval old
    expect(w.counts(1_399)).toEqual({ failures: 2, total: 2 });
    expect(w.counts(1_400)).toEqual({ failures: 1, total: 1 });
    w.clear();
    expect(w.counts(1_000)).toEqual({ failures: 0, total: 0 });
    w.record(1_000, true);
    expect(w.counts(1_000)).toEqual({ failures: 1, total: 1 });
  });
});

describe('PercentageWindow (percentage of answers within interval)', () => {
  it('holds when failures reach the percentage, only on a failure', () => {
    const w = new PercentageWindow(50, 1_000);
    expect(w.record(0, false)).toBe(false);
    expect(w.record(1, false)).toBe(false);
    expect(w.record(2, true)).toBe(false); // 1 of 3
    expect(w.record(3, true)).toBe(true); // 2 of 4 = 50 %
    expect(w.record(4, false)).toBe(false); // a success never trips
  });

  it('a success alone never trips, whatever the percentage (B3)', () => {
    expect(new PercentageWindow(0, 1_000).record(0, false)).toBe(false);
    expect(new PercentageWindow(0, 1_000).record(0, true)).toBe(true);
  });

  it('drops slots that left the window, and a reused slot starts from zero', () => {
    const w = new PercentageWindow(50, 1_000); // 1 ms slots
    w.record(0, true);
    w.record(0, true);
    expect(w.counts(0)).toEqual({ failures: 2, total: 2 });
    expect(w.counts(999)).toEqual({ failures: 2, total: 2 });
    expect(w.counts(1_000)).toEqual({ failures: 0, total: 0 }); // slot 0 is one interval old
    // The same ring position one interval later: the old counts are gone, not added to.
    expect(w.record(1_000, false)).toBe(false);
    expect(w.counts(1_000)).toEqual({ failures: 0, total: 1 });
    w.clear();
    expect(w.counts(1_000)).toEqual({ failures: 0, total: 0 });
  });

  it('slots are interval/1000 wide, at least 1 ms', () => {
    const wide = new PercentageWindow(100, 60_000); // 60 ms slots
    wide.record(0, true);
    wide.record(59, true);
    expect(wide.counts(59)).toEqual({ failures: 2, total: 2 });
    const narrow = new PercentageWindow(100, 10); // 0.01 ms would be the share: 1 ms slots instead
    narrow.record(0, true);
    expect(narrow.counts(9)).toEqual({ failures: 1, total: 1 });
    expect(narrow.counts(10)).toEqual({ failures: 0, total: 0 });
  });
});
