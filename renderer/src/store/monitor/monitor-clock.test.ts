import { describe, expect, it } from 'vitest';
import { snapshotAt } from './fake-monitor-api';
import { MonitorBuffers } from './monitor-buffers';

/*
 * The gateway's clock as the Monitor estimates it: a live snapshot leaves the gateway when its second closes and
 * arrives some delay later, so each one tells the offset minus that delay. The estimate takes the promptest of the
 * last ten, so a countdown does not read long because one snapshot came late on a busy machine or a slow link.
 */

const T0 = Date.parse('2026-12-03T10:00:00Z');

function buffersAt() {
  let local = T0;
  const b = new MonitorBuffers(900, () => {}, () => local);
  const arrive = (second: number, delayMs: number, skew = 0) => {
    // The gateway's second `second` closes at T0 + (second + 1) s on its clock, i.e. skew earlier on ours.
    local = T0 + (second + 1) * 1000 - skew + delayMs;
    b.addSnapshot(snapshotAt(T0 + second * 1000, { a: [1, 1, 0, 'closed'] }), true);
  };
  return { b, arrive, setLocal: (t: number) => (local = t) };
}

describe("the Monitor's estimate of the gateway clock", () => {
  it('takes the least-delayed of the recent snapshots, not the newest', () => {
    const { b, arrive } = buffersAt();
    arrive(0, 40, 2500);
    expect(b.clockOffsetMs).toBe(2460);
    arrive(1, 1800, 2500); // late: would make a countdown 1.8 s long
    expect(b.clockOffsetMs).toBe(2460);
    arrive(2, 5, 2500);
    expect(b.clockOffsetMs).toBe(2495);
  });

  it('forgets a sample after ten newer ones, so a clock that changed is followed', () => {
    const { b, arrive } = buffersAt();
    arrive(0, 0, 4000);
    for (let s = 1; s <= 9; s++) arrive(s, 100, 1000);
    expect(b.clockOffsetMs).toBe(4000);
    arrive(10, 100, 1000);
    expect(b.clockOffsetMs).toBe(900);
  });

  it('a status read starts over, and so does a new gateway process', () => {
    const { b, arrive, setLocal } = buffersAt();
    arrive(0, 0, 9000);
    setLocal(T0 + 50_000);
    b.applyStatus({ startedAt: '', at: new Date(T0 + 50_100).toISOString(), windowSeconds: 900, backends: {}, pools: {}, apis: {}, gatewayErrors: {}, warnings: [] });
    expect(b.clockOffsetMs).toBe(100);
    arrive(60, 300, 0);
    expect(b.clockOffsetMs).toBe(100);
    b.clear();
    arrive(61, 300, 0);
    expect(b.clockOffsetMs).toBe(-300);
  });
});
