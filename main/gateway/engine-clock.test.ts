import { describe, expect, it } from 'vitest';
import type { GatewaySnapshot } from '../../shared/monitor';
import { FakeClock } from '../../test/support/fake-clock';
import { demoWorkspace } from '../../test/support/workspace-arbitrary';
import { GatewayEngine } from './engine';

/*
 * Issue 15 item 1: every snapshot is labelled with the second its counts were taken in, by the engine's clock, at
 * any uptime. The ticker is a timer, and timers fire a moment early or late; neither may shift the labels.
 */
function engineAt(clock: FakeClock) {
  const engine = new GatewayEngine(demoWorkspace(), { now: clock.now });
  const snaps: GatewaySnapshot[] = [];
  engine.snapshots.subscribe((s) => snaps.push(s));
  return { engine, snaps };
}

describe('gateway engine: snapshot labels follow the clock', () => {
  it('a ticker that fires 1 ms early every second for 10 minutes still labels each second as itself', () => {
    const clock = new FakeClock(Date.UTC(2026, 11, 3, 12, 0, 0, 300));
    const { engine, snaps } = engineAt(clock);
    for (let i = 0; i < 600; i++) {
      // The timer aimed at the next boundary fires 1 ms before it (libuv's cached loop time), then once more at it.
      clock.t = (Math.floor(clock.t / 1000) + 1) * 1000 - 1;
      engine.tick();
      clock.t += 1;
      engine.tick();
    }
    expect(snaps).toHaveLength(600);
    expect(snaps.at(-1)!.t).toBe(clock.t - 1000);
    // The trip of second 600 carries the clock's time; the snapshot closing that second carries the same second.
    clock.advance(400);
    engine.emit({ type: 'trip', backend: 'aoai-eastus', at: engine.iso(), openUntil: engine.iso(clock.t + 3000), reason: 'test' });
    const tripAt = clock.t;
    clock.advance(600);
    engine.tick();
    expect(snaps.at(-1)!.t).toBe(Math.floor(tripAt / 1000) * 1000);
  });

  it('after a stall or a clock jump of 10 minutes the next labels are the seconds of the clock again', () => {
    const clock = new FakeClock(Date.UTC(2026, 11, 3, 12, 0, 0));
    const { engine, snaps } = engineAt(clock);
    clock.advance(600_000 + 1);
    engine.tick();
    clock.advance(1000);
    engine.tick();
    expect(snaps.map((s) => s.t)).toEqual([Date.UTC(2026, 11, 3, 12, 0, 0), Date.UTC(2026, 11, 3, 12, 10, 0)]);
    expect(engine.history(900).snapshots).toHaveLength(2);
  });

  it('a count made after a clock jump or a stall, before the late tick, lands in the second of its trip, not the one open at the last tick', () => {
    const start = Date.UTC(2026, 11, 3, 12, 0, 0);
    const clock = new FakeClock(start + 100);
    const { engine, snaps } = engineAt(clock);
    const east = engine.meters.get('aoai-eastus')!;
    east.status(200, false);
    // 10 minutes on (a clock step; a stalled loop looks the same): the tick has not run yet when a 429 comes in
    // and trips the breaker. The trip is stamped with the clock; so must the 429 be.
    clock.advance(600_000 + 250);
    east.status(429, true);
    east.latencyMs(5);
    engine.clientOutcome(200, 2);
    engine.emit({ type: 'trip', backend: 'aoai-eastus', at: engine.iso(), openUntil: engine.iso(clock.t + 30_000), reason: '429' });
    const tripSecond = Math.floor(clock.t / 1000) * 1000;
    engine.gatewayError('NoHealthyBackend');
    clock.advance(1000);
    engine.tick();
    expect(snaps.map((s) => s.t)).toEqual([start, tripSecond]);
    expect(snaps[0]!.backends['aoai-eastus']!.byStatus).toEqual({ '200': 1 });
    expect(snaps[0]!.client?.requests).toBe(0);
    const tripFrame = snaps[1]!;
    expect(tripFrame.backends['aoai-eastus']!.byStatus).toEqual({ '429': 1 });
    expect(tripFrame.backends['aoai-eastus']!.latencyMs.p50).toBeCloseTo(5, 0);
    expect(tripFrame.client).toEqual({ requests: 1, byStatus: { '200': 1 }, retried: 1, saved: 1 });
    expect(tripFrame.gatewayErrors).toEqual({ NoHealthyBackend: 1 });
    // A tick that is merely late (a busy loop): a timeout 300 ms into the next second is that second's.
    clock.t = tripSecond + 2300;
    east.failure('timeout');
    clock.t = tripSecond + 3100;
    engine.tick();
    expect(snaps.at(-1)!.t).toBe(tripSecond + 2000);
    expect(snaps.at(-2)!.backends['aoai-eastus']!.failuresByReason).toEqual({});
    expect(snaps.at(-1)!.backends['aoai-eastus']!.failuresByReason).toEqual({ timeout: 1 });
  });

  it('counts what clients got per request: final status, retried, saved by a retry', () => {
    const clock = new FakeClock(Date.UTC(2026, 11, 3, 12, 0, 0));
    const { engine, snaps } = engineAt(clock);
    engine.clientOutcome(200, 1);
    engine.clientOutcome(200, 2);
    engine.clientOutcome(429, 3);
    engine.clientOutcome(503, 0);
    clock.advance(1000);
    engine.tick();
    expect(snaps[0]!.client).toEqual({ requests: 4, byStatus: { '200': 2, '429': 1, '503': 1 }, retried: 2, saved: 1 });
    clock.advance(1000);
    engine.tick();
    expect(snaps[1]!.client).toEqual({ requests: 0, byStatus: {}, retried: 0, saved: 0 });
  });
});
