import { describe, expect, it } from 'vitest';
import { buildDrillReport, DrillRecorder, formatDrillReport, runDrill, type LoadReport } from '../main/loadgen';
import { startSimulators } from '../main/simulator';
import { parseDrill, type Drill } from '../shared/simulation';
import { startFakeGateway } from './drill-fake-gateway';
import { simWorkspace } from './simulator-support';

const drillOf = (value: unknown): Drill => {
  const r = parseDrill(value);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.drill;
};

const emptyLoad = (over: Partial<LoadReport> = {}): LoadReport => ({
  mode: 'open', rps: 10, concurrency: 1, sent: 0, completed: 0, ok: 0, failed: 0, elapsedMs: 1000, achievedRps: 10, statusCounts: {}, servedBy: {}, errors: {}, retried: 0,
  latencyMs: { count: 0, p50: 0, p90: 0, p99: 0, max: 0, mean: 0 }, interrupted: false, ...over,
});

describe('drill report (pure)', () => {
  const drill = drillOf({
    version: 1,
    load: { rps: 10, duration: 'PT30S' },
    timeline: [{ at: 'PT10S', fault: { backend: 'east', type: 'throttle', retryAfter: 5 } }],
    expect: { clientErrors: 0, tripped: ['east'], notTripped: ['west'], maxTimeToTrip: 'PT1S' },
  });

  it('puts times in drill time and checks each expectation', () => {
    const wall = Date.parse('2026-11-25T10:00:00.000Z');
    const rec = new DrillRecorder(10, 10_000, wall);
    rec.fault(1000, 'east', { type: 'throttle', retryAfter: 5 });
    rec.event({ type: 'trip', backend: 'east', at: '2026-11-25T10:00:01.050Z', reason: '429, Retry-After 5' });
    rec.event({ type: 'failover', backend: 'east', to: 'west', at: '2026-11-25T10:00:01.050Z' });
    rec.event({ type: 'reset', backend: 'east', at: '2026-11-25T10:00:01.550Z' });
    rec.result({ scheduledAt: 50, sentAt: 50, endedAt: 60, latencyMs: 10, status: 200, backend: 'east' });
    rec.result({ scheduledAt: 1200, sentAt: 1200, endedAt: 1210, latencyMs: 10, status: 200, backend: 'west', attempts: 2 });
    rec.result({ scheduledAt: 1300, sentAt: 1300, endedAt: 1310, latencyMs: 10, status: 503 });
    const r = buildDrillReport(drill, 10, emptyLoad({ completed: 3, failed: 1, retried: 1 }), rec, 30_000);
    expect(r.faults[0]!.atMs).toBe(10_000);
    expect(r.events.map((e) => [e.type, e.atMs])).toEqual([['trip', 10_500], ['reset', 15_500]]);
    // The fidelity row that decided the trip: Retry-After (F-CB-4).
    expect(r.events[0]!.row).toBe('F-CB-4');
    expect(r.failovers).toBe(1);
    expect(r.timeToTrip).toEqual([{ backend: 'east', faultAtMs: 10_000, tripAtMs: 10_500, ms: 500 }]);
    expect(r.shares.map((b) => [b.fromMs, b.total, b.errors, b.byBackend])).toEqual([[0, 1, 0, { east: 1 }], [10_000, 2, 1, { west: 1 }]]);
    expect(r.expectations.map((x) => [x.name, x.pass])).toEqual([['clientErrors', false], ['tripped east', true], ['notTripped west', true], ['maxTimeToTrip', true]]);
    expect(r.pass).toBe(false);
    const text = formatDrillReport(r).join('\n');
    expect(text).toContain('FAIL  clientErrors: expected at most 0, was 1');
    expect(text).toContain('time from fault (10 s) to first trip of east: 500 ms');
  });

  it('counts a request in flight when a fault took effect at the fault, not in the calm before it', () => {
    const rec = new DrillRecorder(10, 10_000, Date.now());
    rec.fault(1000, 'east', { type: 'throttle', retryAfter: 5 });
    // Sent 50 ms (real) before the fault, answered after it by west: a busy machine delivered it late.
    rec.result({ scheduledAt: 950, sentAt: 950, endedAt: 1010, latencyMs: 60, status: 200, backend: 'west', attempts: 2 });
    // Sent and answered before the fault: stays where it was sent.
    rec.result({ scheduledAt: 900, sentAt: 900, endedAt: 990, latencyMs: 90, status: 200, backend: 'east' });
    // Sent after the fault: where it was sent.
    rec.result({ scheduledAt: 2500, sentAt: 2500, endedAt: 2510, latencyMs: 10, status: 200, backend: 'west' });
    const r = buildDrillReport(drill, 10, emptyLoad({ completed: 3 }), rec, 30_000);
    expect(r.shares.map((b) => [b.fromMs, b.total, b.byBackend])).toEqual([[0, 1, { east: 1 }], [10_000, 1, { west: 1 }], [20_000, 1, { west: 1 }]]);
  });

  it('fails maxTimeToTrip when a fault never trips its backend', () => {
    const rec = new DrillRecorder(1, 10_000, Date.now());
    rec.fault(10_000, 'east', { type: 'throttle', retryAfter: 5 });
    const r = buildDrillReport(drill, 1, emptyLoad(), rec, 30_000);
    expect(r.expectations.find((x) => x.name === 'maxTimeToTrip')).toMatchObject({ pass: false, actual: 'a fault never tripped its backend' });
  });
});

describe('drill runner against a stand-in gateway', () => {
  const ws = simWorkspace({ east: { latencyMs: { p50: 2, p99: 5 } }, west: { latencyMs: { p50: 2, p99: 5 } } });
  const drill = drillOf({
    version: 1,
    speed: 1,
    load: { rps: 10, duration: 'PT20S' },
    timeline: [
      { at: 'PT5S', fault: { backend: 'east', type: 'throttle', retryAfter: 30 } },
      { at: 'PT15S', clear: { backend: 'east' } },
    ],
    expect: { clientErrors: 0, tripped: ['east'], maxTimeToTrip: 'PT5S' },
  });

  it('runs the timeline against simulated backends and reports trips, retries and shares (virtual time: exact)', async () => {
    const r = await runDrill({ workspace: ws, drill, speed: 10, startGateway: startFakeGateway, startSimulators, virtualTime: true });
    expect(r.virtualTime).toBe(true);
    expect(r.requests).toBe(200);
    expect(r.clientErrors).toBe(0);
    // The request due at the fault's own instant is the first to meet it: it trips east and is retried on west.
    expect(r.faults.map((f) => [f.atMs, f.backend, f.fault?.type ?? 'clear'])).toEqual([[5000, 'east', 'throttle'], [15_000, 'east', 'clear']]);
    expect(r.events.map((e) => [e.type, e.backend, e.atMs])).toEqual([['trip', 'east', 5000]]);
    expect(r.timeToTrip).toEqual([{ backend: 'east', faultAtMs: 5000, tripAtMs: 5000, ms: 0 }]);
    expect(r.retried).toBe(1);
    // Every request before the fault on east; from the fault on, Retry-After 30 keeps east open past the drill's end.
    expect(r.shares.map((b) => b.byBackend)).toEqual([{ east: 20 }, { east: 20 }, { east: 10, west: 10 }, ...Array(7).fill({ west: 20 })]);
    expect(r.pass).toBe(true);
  });

  it('runs in real time by default: the same counts, the trip from the fault, whatever the machine', async () => {
    const r = await runDrill({ workspace: ws, drill, speed: 10, startGateway: startFakeGateway, startSimulators });
    expect(r.virtualTime).toBeUndefined();
    expect(r.requests).toBe(200);
    expect(r.clientErrors).toBe(0);
    // How long after the fault the trip came depends on how busy the machine is in real time: that it came, from
    // this fault, is asserted; virtual time (above) pins the instant.
    expect(r.timeToTrip).toHaveLength(1);
    expect(r.timeToTrip[0]!.tripAtMs).toBeGreaterThanOrEqual(r.timeToTrip[0]!.faultAtMs);
    // Before the fault only east answers (a request still in flight at the fault counts at the fault). Later shares
    // depend on how long the run took in real time (Retry-After 30 s at speed 10 is 3 s of wall clock).
    expect(r.shares[0]!.byBackend).toEqual({ east: r.shares[0]!.total });
  });
});
