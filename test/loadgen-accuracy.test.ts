import { afterEach, describe, expect, it } from 'vitest';
import { buildTarget, runLoad, type RequestResult } from '../main/loadgen';
import { VirtualClock, type LoadClock } from '../main/loadgen/virtual-clock';
import { startSimulators, type SimulatorHandle } from '../main/simulator';
import { simWorkspace } from './simulator-support';

/*
 * The load generator on a virtual clock shared with the simulated backends (main/loadgen/virtual-clock.ts): real
 * requests over real sockets, but the schedule, the latencies and the timeouts are the clock's, so the numbers
 * are exact on any machine. How closely it holds its rate in real time on a busy machine is a timing goal for a
 * benchmark, not a test; one real-time run below checks only what holds however busy the machine is.
 */
const FIXED = { east: { latencyMs: { p50: 1, p99: 1 } }, west: { latencyMs: { p50: 40, p99: 40 } } };

let sim: SimulatorHandle | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function virtualSim(): Promise<{ clock: VirtualClock; sim: SimulatorHandle }> {
  const clock = new VirtualClock();
  sim = await startSimulators(simWorkspace(FIXED), { now: clock.now, timers: clock.simulatorTimers() });
  return { clock, sim };
}

describe('load generator accuracy (virtual clock: exact)', () => {
  it('sends request i at i / rps, and reports the rate it asked for', async () => {
    const { clock, sim } = await virtualSim();
    const results: RequestResult[] = [];
    const r = await runLoad({ target: buildTarget({ url: sim.backends.east!.url }), rps: 100, durationMs: 2_000, clock, onResult: (x) => results.push(x) });
    expect([r.sent, r.ok]).toEqual([200, 200]);
    expect(results.map((x) => x.sentAt)).toEqual(results.map((_, i) => i * 10));
    expect(results.every((x) => x.scheduledAt === x.sentAt && x.latencyMs === 1)).toBe(true);
    // The last request goes out at 1990 ms and takes the backend's 1 ms.
    expect(r.elapsedMs).toBe(1991);
    expect(r.achievedRps).toBe(100);
  });

  it('reports the percentiles of a backend with a known fixed latency', async () => {
    const { clock, sim } = await virtualSim();
    const r = await runLoad({ target: buildTarget({ url: sim.backends.west!.url }), concurrency: 4, requests: 60, clock });
    expect(r.mode).toBe('closed');
    expect(r.statusCounts).toEqual({ 200: 60 });
    expect(r.latencyMs).toEqual({ count: 60, p50: 40, p90: 40, p99: 40, max: 40, mean: 40 });
    // Four at a time, 40 ms each: 15 rounds.
    expect(r.elapsedMs).toBe(600);
  });

  it('measures time to first token when streaming, and counts errors by kind', async () => {
    const { clock, sim } = await virtualSim();
    const target = buildTarget({ url: sim.backends.west!.url, stream: true, maxTokens: 5 });
    const r = await runLoad({ target, concurrency: 2, requests: 6, clock });
    expect(r.ok).toBe(6);
    // 40 ms to the first token, then one every 20 ms (50 tokens/s): the last of five at 120 ms.
    expect(r.latencyMs).toMatchObject({ p50: 120, max: 120 });
    // The first token leaves at 40 ms; it is read once it crossed the socket, before the next token is due.
    expect(r.ttftMs!.p50).toBeGreaterThanOrEqual(40);
    expect(r.ttftMs!.max).toBeLessThan(120);
    sim.setFault('west', { type: 'outage' });
    const down = await runLoad({ target, concurrency: 1, requests: 3, clock });
    expect(down.errors).toEqual({ refused: 3 });
    expect(down.failed).toBe(3);
  });

  it('counts non-2xx by status, and cuts requests to a hanging backend at the timeout', async () => {
    const { clock, sim } = await virtualSim();
    sim.setFault('east', { type: 'throttle', retryAfter: 3 });
    const target = buildTarget({ url: sim.backends.east!.url, kind: 'embeddings' });
    const t = await runLoad({ target, rps: 50, requests: 10, clock });
    expect(t.statusCounts).toEqual({ 429: 10 });
    sim.setFault('east', { type: 'hang' });
    const results: RequestResult[] = [];
    const h = await runLoad({ target, rps: 20, durationMs: 200, timeoutMs: 300, clock, onResult: (x) => results.push(x) });
    expect(h.errors).toEqual({ timeout: 4 });
    // Each one cut exactly 300 ms after it went out (at 0, 50, 100, 150 ms of this run).
    expect(results.map((x) => x.latencyMs)).toEqual([300, 300, 300, 300]);
  });

  it('counts a stalled sender against latency (no coordinated omission)', async () => {
    const { clock, sim } = await virtualSim();
    // The sender's next tick, due at 30 ms, comes 150 ms late (a blocked event loop): requests due meanwhile go
    // out late, and their latency counts from when they were due, as a user's would.
    let stalled = false;
    const late: LoadClock = {
      now: clock.now,
      clearTimeout: clock.clearTimeout,
      virtual: clock.virtual,
      setTimeout: (fn, ms) => {
        const tick = ms <= 10 && clock.now() >= 20 && !stalled;
        if (tick) stalled = true;
        return clock.setTimeout(fn, tick ? ms + 150 : ms);
      },
    };
    const results: RequestResult[] = [];
    const r = await runLoad({ target: buildTarget({ url: sim.backends.east!.url }), rps: 100, requests: 30, clock: late, onResult: (x) => results.push(x) });
    expect(r.ok).toBe(30);
    // Request 3 was due at 30 ms and sent at 180 ms: 150 ms late plus the backend's 1 ms.
    expect(results.find((x) => x.scheduledAt === 30)).toMatchObject({ sentAt: 180, latencyMs: 151 });
    expect(r.latencyMs.max).toBe(151);
    expect(r.latencyMs.p50).toBe(1);
  });
});

describe('load generator in real time', () => {
  it('sends the asked number of requests, never faster than asked', async () => {
    sim = await startSimulators(simWorkspace(FIXED));
    const r = await runLoad({ target: buildTarget({ url: sim.backends.east!.url }), rps: 100, durationMs: 500 });
    expect([r.sent, r.ok]).toEqual([50, 50]);
    // A late timer can only send later, never sooner: the achieved rate is at most the one asked.
    expect(r.achievedRps).toBeLessThanOrEqual(100.5);
  });
});
