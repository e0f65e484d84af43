import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTarget, runLoad } from '../main/loadgen';
import { startSimulators, type SimulatorHandle } from '../main/simulator';
import { simWorkspace } from './simulator-support';

describe('load generator accuracy', () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startSimulators(simWorkspace({ east: { latencyMs: { p50: 1, p99: 1 } }, west: { latencyMs: { p50: 40, p99: 40 } } }));
  });
  afterAll(() => sim.close());

  // How close the achieved rate and the percentiles come on a given machine is a timing goal, measured by
  // `npm run bench`, not asserted here: these tests check what holds however busy the machine is (counts, and the
  // lower bounds a fixed-latency backend sets).
  it('sends the asked number of requests on the open-loop schedule, never faster than asked', async () => {
    const target = buildTarget({ url: `http://127.0.0.1:${sim.backends.east!.port}` });
    const r = await runLoad({ target, rps: 100, durationMs: 2_000 });
    expect(r.sent).toBe(200);
    expect(r.ok).toBe(200);
    expect(r.elapsedMs).toBeGreaterThanOrEqual(1_990);
    expect(r.achievedRps).toBeLessThanOrEqual(100.5);
  }, 20_000);

  it('reports percentiles of a backend with a known fixed latency', async () => {
    const target = buildTarget({ url: sim.backends.west!.url });
    const r = await runLoad({ target, concurrency: 4, requests: 60 });
    expect(r.mode).toBe('closed');
    expect(r.statusCounts).toEqual({ 200: 60 });
    expect(r.latencyMs.count).toBe(60);
    expect(r.latencyMs.p50).toBeGreaterThanOrEqual(40);
    expect(r.latencyMs.p90).toBeGreaterThanOrEqual(r.latencyMs.p50);
    expect(r.latencyMs.max).toBeGreaterThanOrEqual(r.latencyMs.p99);
  });

  it('measures time to first token when streaming, and counts errors by kind', async () => {
    const target = buildTarget({ url: sim.backends.west!.url, stream: true, maxTokens: 5 });
    const r = await runLoad({ target, concurrency: 2, requests: 6 });
    expect(r.ok).toBe(6);
    expect(r.ttftMs!.p50).toBeGreaterThanOrEqual(40);
    expect(r.ttftMs!.p50).toBeLessThan(r.latencyMs.p50);
    sim.setFault('west', { type: 'outage' });
    try {
      const down = await runLoad({ target, concurrency: 1, requests: 3 });
      expect(down.errors).toEqual({ refused: 3 });
      expect(down.failed).toBe(3);
    } finally {
      sim.clearFault('west');
    }
  });

  it('counts non-2xx by status and stops at the time bound against a hanging backend', async () => {
    sim.setFault('east', { type: 'throttle', retryAfter: 3 });
    const target = buildTarget({ url: `http://127.0.0.1:${sim.backends.east!.port}`, kind: 'embeddings' });
    const t = await runLoad({ target, rps: 50, requests: 10 });
    expect(t.statusCounts).toEqual({ 429: 10 });
    sim.setFault('east', { type: 'hang' });
    // Returning at all proves the bound (the backend never answers); four timeouts prove each request was cut.
    const h = await runLoad({ target, rps: 20, durationMs: 200, timeoutMs: 300 });
    sim.clearFault('east');
    expect(h.errors).toEqual({ timeout: 4 });
  });

  it('counts a stalled sender against latency (no coordinated omission)', async () => {
    const target = buildTarget({ url: `http://127.0.0.1:${sim.backends.east!.port}` });
    // Freeze the event loop for 150 ms shortly after the start: requests due meanwhile go out late, and their
    // latency must include that wait, as a user's would.
    setTimeout(() => {
      const until = performance.now() + 150;
      while (performance.now() < until);
    }, 20);
    const r = await runLoad({ target, rps: 100, requests: 30 });
    expect(r.ok).toBe(30);
    expect(r.latencyMs.max).toBeGreaterThanOrEqual(120);
    expect(r.latencyMs.p50).toBeLessThan(r.latencyMs.max);
  });
});
