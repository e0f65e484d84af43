import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { buildChartData, framesInWindow, MAX_POINTS, MAX_SERIES, OTHER, windowEnd } from './chart-series';
import { createFakeMonitorApi, snapshotAt } from './fake-monitor-api';
import { clientOutcome } from './client-outcome';
import { toFrame } from './monitor-buffers';
import { RingBuffer } from './ring-buffer';
import { cardStats, filterEvents, poolShares, timelineLanes, toJsonLines } from './selectors';
import { createMonitorSlice, type MonitorSlice } from './slice';

const T0 = Date.parse('2026-11-25T10:00:00.000Z');

function makeStore() {
  const api = createFakeMonitorApi();
  const store = createStore<MonitorSlice>()((set, get) => createMonitorSlice({ set, get, api, env: { now: () => T0, schedule: (f) => f() } }));
  return { api, store, s: () => store.getState() };
}

describe('ring buffer', () => {
  it('keeps the newest items up to its capacity, oldest first, and resizes keeping the newest', () => {
    const r = new RingBuffer<number>(3);
    for (let i = 1; i <= 5; i++) r.push(i);
    expect(r.toArray()).toEqual([3, 4, 5]);
    expect([r.size, r.at(0), r.last(), r.tail(2)]).toEqual([3, 3, 5, [4, 5]]);
    expect(r.resized(2).toArray()).toEqual([4, 5]);
    expect(r.resized(10).toArray()).toEqual([3, 4, 5]);
    r.clear();
    expect(r.toArray()).toEqual([]);
  });
});

describe('monitor slice (no React)', () => {
  it('follows the run state, reads the configuration once per gateway process, and starts over on a new one', async () => {
    const { api, store, s } = makeStore();
    await s().followMonitor();
    await s().followMonitor(); // idempotent: one subscription
    expect(s().monitor.run.running).toBe(false);
    await s().startGateway(true);
    await Promise.resolve();
    expect(s().monitor.run).toMatchObject({ running: true, simulate: true });
    await new Promise((r) => setTimeout(r, 0));
    expect(s().monitor.config?.backends).toEqual(['aoai-eastus', 'aoai-uksouth']);
    expect(s().monitor.config?.pools.mybackendpool?.map((m) => m.weight)).toEqual([10, 1]);
    api.push.snapshot(snapshotAt(T0, { 'aoai-eastus': [10, 10, 0, 'closed'] }));
    expect(s().monitorBuffers.frames.size).toBe(1);
    await s().startGateway(true);
    expect(s().monitorBuffers.frames.size).toBe(0);
    expect(store.getState().monitor.busy).toBeNull();
  });

  it('a screen that opens while the gateway runs draws what it missed, once, in order', async () => {
    const { api, s } = makeStore();
    const trip = { type: 'trip' as const, backend: 'aoai-eastus', at: new Date(T0 + 1500).toISOString(), openUntil: new Date(T0 + 31_500).toISOString(), reason: '429, Retry-After 30' };
    api.setHistory({ snapshots: [0, 1, 2].map((i) => snapshotAt(T0 + i * 1000, { 'aoai-eastus': [5, 5 - i, i, i >= 1 ? 'open' : 'closed'] })), events: [trip] });
    await s().followMonitor();
    const started = s().startGateway(true);
    // Pushed while the history is on its way: one second the history already has, one it does not, the same trip.
    api.push.snapshot(snapshotAt(T0 + 2000, { 'aoai-eastus': [5, 3, 2, 'open'] }));
    api.push.snapshot(snapshotAt(T0 + 3000, { 'aoai-eastus': [5, 2, 3, 'open'] }));
    api.push.event(trip);
    await started;
    await new Promise((r) => setTimeout(r, 0));
    api.push.snapshot(snapshotAt(T0 + 3000, { 'aoai-eastus': [5, 2, 3, 'open'] })); // a repeat after it: once only
    expect(api.calls.filter((c) => c.method === 'gateway.history')).toEqual([{ method: 'gateway.history', input: { seconds: 900 } }]);
    expect(s().monitorBuffers.frames.toArray().map((f) => f.t)).toEqual([T0, T0 + 1000, T0 + 2000, T0 + 3000]);
    expect(s().monitorBuffers.events.toArray().map((e) => e.type)).toEqual(['trip']);
    expect(s().monitorBuffers.breakers.get('aoai-eastus')).toMatchObject({ state: 'open', reason: '429, Retry-After 30' });
  });

  it("keeps the gateway's whole 15 minutes whatever the window shown, bounded whatever the uptime", async () => {
    const { api, s } = makeStore();
    await s().followMonitor();
    for (let i = 0; i < 2000; i++) api.push.snapshot(snapshotAt(T0 + i * 1000, { a: [1, 1, 0, 'closed'] }));
    expect(s().monitorBuffers.frames.size).toBe(900);
    // The window is a view: a longer one has its data at once, a shorter one drops nothing.
    s().setMonitorWindow(15);
    s().setMonitorWindow(1);
    expect(s().monitorBuffers.frames.size).toBe(900);
    const to = windowEnd(s().monitorBuffers, 0);
    expect(framesInWindow(s().monitorBuffers, 60, to)).toHaveLength(60);
    for (let i = 0; i < 2000; i++) api.push.event({ type: 'failover', backend: 'a', to: 'b', api: 'x', attempt: 2, at: new Date(T0).toISOString(), reason: '429' });
    expect(s().monitorBuffers.events.size).toBe(1000);
  });

  it("places a failover in the second it happened in, whether its event comes before or after that second's snapshot", async () => {
    const { api, s } = makeStore();
    await s().followMonitor();
    const failover = (t: number) => ({ type: 'failover' as const, backend: 'aoai-eastus', to: 'aoai-uksouth', api: 'x', attempt: 2, at: new Date(t).toISOString(), reason: '429' });
    api.push.event(failover(T0 + 1200)); // before its snapshot
    api.push.snapshot(snapshotAt(T0, { 'aoai-eastus': [1, 1, 0, 'closed'] }));
    api.push.snapshot(snapshotAt(T0 + 1000, { 'aoai-eastus': [1, 1, 0, 'closed'] }));
    api.push.event(failover(T0 + 1900)); // after it (a late push)
    expect(s().monitorBuffers.frames.toArray().map((f) => f.b['aoai-eastus']!.fo)).toEqual([0, 2]);
  });

  it("estimates the gateway clock from live snapshots, so countdowns and the chart edge run on the gateway's time", async () => {
    const { api, s } = makeStore();
    await s().followMonitor();
    api.push.snapshot(snapshotAt(T0 + 600_000, { a: [1, 1, 0, 'closed'] }));
    expect(s().monitorBuffers.gatewayNow()).toBe(T0 + 601_000);
    // Before any live snapshot (a reload), the status read's `at` tells it.
    s().monitorBuffers.applyStatus({ startedAt: '', at: new Date(T0 + 900_000).toISOString(), windowSeconds: 900, backends: {}, pools: {}, apis: {}, gatewayErrors: {}, warnings: [] });
    expect(s().monitorBuffers.gatewayNow()).toBe(T0 + 900_000);
  });

  it('a trip opens the breaker with its openUntil and reason; a reset closes it; the snapshot corrects a missed one', async () => {
    const { api, s } = makeStore();
    await s().followMonitor();
    const b = s().monitorBuffers;
    api.push.event({ type: 'trip', backend: 'aoai-eastus', openUntil: new Date(T0 + 3000).toISOString(), at: new Date(T0).toISOString(), reason: '429, Retry-After 3' });
    expect(b.breakers.get('aoai-eastus')).toEqual({ state: 'open', openUntil: T0 + 3000, reason: '429, Retry-After 3' });
    api.push.event({ type: 'reset', backend: 'aoai-eastus', at: new Date(T0 + 3000).toISOString(), reason: 'expired' });
    expect(b.breakers.get('aoai-eastus')?.state).toBe('closed');
    api.push.snapshot(snapshotAt(T0 + 4000, { 'aoai-eastus': [1, 0, 1, 'open'] }));
    expect(b.breakers.get('aoai-eastus')).toMatchObject({ state: 'open', openUntil: null });
  });

  it('shows faults switched by others (a live drill, the CLI) once the drill moves on or ends', async () => {
    const { api, s } = makeStore();
    await s().followMonitor();
    await s().startGateway(true);
    await new Promise((r) => setTimeout(r, 0));
    // Switched behind the screen's back, as a drill's timeline does.
    await api.simulator.setFault({ backend: 'aoai-eastus', fault: { type: 'throttle', retryAfter: 30 } });
    expect(s().monitor.faults['aoai-eastus']).toBeUndefined();
    api.push.done({ id: 99, kind: 'drill', error: { message: 'stopped' } });
    await new Promise((r) => setTimeout(r, 0));
    expect(s().monitor.faults['aoai-eastus']).toEqual({ type: 'throttle', retryAfter: 30 });
  });

  it('tracks faults, load jobs and drill reports; errors are shown, not thrown', async () => {
    const { api, s } = makeStore();
    await s().followMonitor();
    await s().setFault('aoai-eastus', { type: 'throttle', retryAfter: 3 });
    expect(s().monitor.faults['aoai-eastus']).toEqual({ type: 'throttle', retryAfter: 3 });
    await s().clearFault('aoai-eastus');
    expect(s().monitor.faults['aoai-eastus']).toBeNull();
    await s().startLoad({ rps: 10, durationSeconds: 5, stream: false });
    expect(s().monitor.load.job).toMatchObject({ kind: 'load', totalMs: 5000 });
    api.push.progress({ id: s().monitor.load.job!.id, kind: 'load', elapsedMs: 1000, totalMs: 5000, sent: 10, completed: 9, ok: 9, failed: 0, inFlight: 1 });
    expect(s().monitor.load.progress?.sent).toBe(10);
    api.push.done({ id: s().monitor.load.job!.id, kind: 'load', error: { message: 'boom' } });
    expect(s().monitor.load).toMatchObject({ job: null, lastLoad: { error: { message: 'boom' } } });
    (api.gateway as unknown as { resetBreaker: () => Promise<never> }).resetBreaker = async () => {
      throw new Error('the gateway is not running: start it first');
    };
    await s().resetBreaker('aoai-eastus');
    expect(s().monitor.error).toMatch(/not running/);
  });
});

describe('what clients got (the Monitor headline)', () => {
  it('counts requests, not tries: a 429 that failed over and was answered 200 is a success; errors by final status', () => {
    const frames = [
      toFrame({ ...snapshotAt(T0, { 'aoai-eastus': [10, 7, 3, 'closed'] }), client: { requests: 8, byStatus: { '200': 8 }, retried: 3, saved: 3 } }),
      toFrame({ ...snapshotAt(T0 + 1000, { 'aoai-eastus': [2, 1, 1, 'closed'] }), client: { requests: 2, byStatus: { '200': 1, '503': 1 }, retried: 1, saved: 0 } }),
    ];
    expect(clientOutcome(frames.slice(0, 1))).toMatchObject({ requests: 8, ok: 8, success: 100, errors: [], retried: 3, saved: 3, known: true });
    expect(clientOutcome(frames)).toMatchObject({ requests: 10, ok: 9, success: 90, errors: [{ status: '503', count: 1 }], saved: 3 });
    // 999 of 1000 is 99.9 %, never rounded up to 100 %.
    expect(clientOutcome([toFrame({ ...snapshotAt(T0, {}), client: { requests: 10_000, byStatus: { '200': 9999, '429': 1 }, retried: 0, saved: 0 } })]).success).toBe(99.9);
    expect(clientOutcome([toFrame(snapshotAt(T0, {}))])).toMatchObject({ known: false, success: null });
    // A client that gave up (499) neither got an answer nor an error from the gateway.
    expect(clientOutcome([toFrame({ ...snapshotAt(T0, {}), client: { requests: 5, byStatus: { '200': 4, '499': 1 }, retried: 0, saved: 0 } })])).toMatchObject({ requests: 4, success: 100, errors: [], cancelled: 1 });
    expect(buildChartData(frames, 60, T0 + 2000).rows.map((r) => r.client)).toEqual([100, 50]);
  });
});

describe('monitor selectors', () => {
  const frames = Array.from({ length: 120 }, (_, i) =>
    snapshotAt(T0 + i * 1000, { 'aoai-eastus': i < 60 ? [10, 10, 0, 'closed'] : [1, 0, 1, 'open'], 'aoai-uksouth': i < 60 ? [1, 1, 0, 'closed'] : [11, 11, 0, 'closed'] }),
  );
  function buffersWith() {
    const { api, s } = makeStore();
    void s().followMonitor();
    s().setMonitorWindow(5);
    for (const f of frames) api.push.snapshot(f);
    return { api, b: s().monitorBuffers };
  }

  it('chart data: one row per second in the window, requests/s per backend, success %, 429s; traffic moves', () => {
    const { b } = buffersWith();
    const to = windowEnd(b, 0);
    const d = buildChartData(framesInWindow(b, 60, to), 60, to);
    expect(d.rows).toHaveLength(60);
    expect(d.keys).toEqual(['aoai-uksouth', 'aoai-eastus']);
    expect(d.rows.at(-1)).toMatchObject({ rps: { 'aoai-eastus': 1, 'aoai-uksouth': 11 }, success: { 'aoai-eastus': 0, 'aoai-uksouth': 100 }, s429: { 'aoai-eastus': 1 } });
    const wide = buildChartData(framesInWindow(b, 900, to), 900, to);
    expect(wide.rows.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(wide.stepMs).toBe(3000);
  });

  it('folds backends beyond the drawn series into "other"', () => {
    const many = snapshotAt(T0, Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`be-${String(i).padStart(2, '0')}`, [i + 1, i + 1, 0, 'closed'] as [number, number, number, 'closed']])));
    const { api, s } = makeStore();
    void s().followMonitor();
    api.push.snapshot(many);
    const d = buildChartData(s().monitorBuffers.frames.toArray(), 60, T0 + 1000);
    expect(d.keys).toHaveLength(MAX_SERIES + 1);
    expect(d.keys[0]).toBe('be-29');
    expect(d.keys.at(-1)).toBe(OTHER);
    const otherSum = Array.from({ length: 30 - MAX_SERIES }, (_, i) => i + 1).reduce((a, x) => a + x, 0);
    expect(d.rows[0]!.rps[OTHER]).toBe(otherSum);
  });

  it('card stats, timeline bands and markers, observed vs configured shares', () => {
    const { api, b } = buffersWith();
    api.push.event({ type: 'trip', backend: 'aoai-eastus', openUntil: new Date(T0 + 63_000).toISOString(), at: new Date(T0 + 60_000).toISOString(), reason: '429' });
    const all = b.frames.toArray();
    expect(cardStats(all, 'aoai-uksouth')).toMatchObject({ rps: 11, success: 100, p50: 400, p99: 1400, tpm: 60 * 11 * 20 });
    expect(cardStats(all, 'aoai-eastus').spark).toHaveLength(60);
    const lanes = timelineLanes(b, all, ['aoai-eastus', 'aoai-uksouth'], T0, T0 + 120_000);
    expect(lanes[0]!.open).toEqual([{ from: T0 + 60_000, to: T0 + 120_000 }]);
    expect(lanes[0]!.markers[0]).toMatchObject({ kind: 'trip', t: T0 + 60_000 });
    expect(lanes[1]!.open).toEqual([]);
    const shares = poolShares(
      [
        { backend: 'aoai-eastus', priority: 1, weight: 10 },
        { backend: 'aoai-uksouth', priority: 1, weight: 1 },
      ],
      all.slice(0, 60),
    );
    expect(shares.map((r) => [Math.round(r.configured * 11), Math.round(r.observed! * 11)])).toEqual([
      [10, 10],
      [1, 1],
    ]);
  });

  it('filters the log by backend and type, newest first, and exports JSON lines as the gateway sent them', () => {
    const { api, b } = buffersWith();
    const at = new Date(T0).toISOString();
    api.push.event({ type: 'trip', backend: 'aoai-eastus', openUntil: at, at, reason: '429' });
    api.push.event({ type: 'failover', backend: 'aoai-eastus', to: 'aoai-uksouth', api: 'azure-openai', attempt: 2, at, reason: '429' });
    api.push.event({ type: 'config', backend: null, ok: true, at, reason: null });
    expect(filterEvents(b, { backend: null, types: ['trip', 'failover', 'config'] }).map((e) => e.type)).toEqual(['config', 'failover', 'trip']);
    expect(filterEvents(b, { backend: 'aoai-uksouth', types: ['failover', 'trip'] }).map((e) => e.type)).toEqual(['failover']);
    const lines = toJsonLines(filterEvents(b, { backend: 'aoai-eastus', types: ['trip', 'failover'] })).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).type)).toEqual(['trip', 'failover']);
    expect(JSON.parse(lines[0]!)).toEqual({ type: 'trip', backend: 'aoai-eastus', openUntil: at, at, reason: '429' });
  });
});
