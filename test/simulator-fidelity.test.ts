import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../main/loadgen/virtual-clock';
import { startSimulators, type SimulatorHandle } from '../main/simulator';
import { latencySampler, seededRandom, SlidingBudget } from '../shared/simulation';
import { chatBody, postJson, simWorkspace, VirtualTimers } from './simulator-support';

const FAST = { p50: 5, p99: 5 };
let sim: SimulatorHandle | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});
const chatUrl = (s: SimulatorHandle, id = 'east') => `${s.backends[id]!.url}/deployments/gpt-4o/chat/completions?api-version=2024-10-21`;

describe('capacity budgets', () => {
  it('answers 429 once the tokens-per-minute budget is spent, with Azure headers', async () => {
    let now = 1_000;
    // "hi" = 3 (priming) + 4 (message) + 1 prompt tokens, + max_tokens 12 = 20 tokens a request: 5 fit in 100.
    sim = await startSimulators(simWorkspace({ east: { tokensPerMinute: 100, latencyMs: FAST } }), { now: () => now });
    const remaining: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await postJson(chatUrl(sim), chatBody());
      expect(r.status).toBe(200);
      remaining.push(r.headers.get('x-ratelimit-remaining-tokens')!);
      now += 1000;
    }
    expect(remaining).toEqual(['80', '60', '40', '20', '0']);
    const r = await postJson(chatUrl(sim), chatBody());
    expect(r.status).toBe(429);
    // The first request (at 1 s) leaves the window at 61 s; it is now 6 s.
    expect(r.headers.get('retry-after')).toBe('55');
    expect(r.headers.get('retry-after-ms')).toBe('55000');
    expect(r.headers.get('x-ratelimit-remaining-tokens')).toBe('0');
    expect(r.headers.get('policy-id')).toBe('DeploymentRatelimit-Token');
    expect((r.json as { error: { code: string; message: string } }).error).toMatchObject({ code: '429', message: expect.stringContaining('token rate limit') });
    now += 55_000;
    expect((await postJson(chatUrl(sim), chatBody())).status).toBe(200);
  });

  it('answers 429 past the requests-per-minute budget; speed shortens the window, not the header', async () => {
    let now = 0;
    sim = await startSimulators(simWorkspace({ east: { requestsPerMinute: 3, latencyMs: FAST } }), { now: () => now, speed: 10 });
    const left = [];
    for (let i = 0; i < 3; i++) left.push((await postJson(chatUrl(sim), chatBody())).headers.get('x-ratelimit-remaining-requests'));
    expect(left).toEqual(['2', '1', '0']);
    now = 2_000;
    const r = await postJson(chatUrl(sim), chatBody());
    expect(r.status).toBe(429);
    // Window = 6 s at speed 10; 4 s of real waiting = 40 s of drill time.
    expect(r.headers.get('retry-after')).toBe('40');
    expect((r.json as { error: { message: string } }).error.message).toContain('call rate limit');
    now = 6_001;
    expect((await postJson(chatUrl(sim), chatBody())).status).toBe(200);
  });

  it('keeps a sliding window (pure)', () => {
    const b = new SlidingBudget({ tokensPerWindow: 10, windowMs: 1000 });
    expect(b.take(0, 6).ok).toBe(true);
    expect(b.take(500, 4).ok).toBe(true);
    expect(b.take(600, 1)).toMatchObject({ ok: false, retryAfterMs: 400 });
    expect(b.take(1000, 6)).toMatchObject({ ok: true, remainingTokens: 0 });
    expect(b.take(1001, 20)).toMatchObject({ ok: false, retryAfterMs: 1000 });
  });
});

describe('latency and pace', () => {
  it('fits a log-normal to p50 and p99, repeatably for a seed', () => {
    const draw = (seed: number) => {
      const s = latencySampler({ p50: 400, p99: 1500 }, seededRandom(seed));
      return Array.from({ length: 20_000 }, s);
    };
    const a = draw(1);
    expect(draw(1)).toEqual(a);
    const sorted = [...a].sort((x, y) => x - y);
    expect(sorted[10_000]! / 400).toBeGreaterThan(0.95);
    expect(sorted[10_000]! / 400).toBeLessThan(1.05);
    expect(sorted[19_800]! / 1500).toBeGreaterThan(0.9);
    expect(sorted[19_800]! / 1500).toBeLessThan(1.1);
  });

  it('streams at the profile tokens-per-second pace: the latency, then one token every 1/tps s (virtual timers)', async () => {
    const timers = new VirtualTimers();
    sim = await startSimulators(simWorkspace({ east: { latencyMs: { p50: 50, p99: 50 }, tokensPerSecond: 100 } }), { timers });
    const res = await fetch(chatUrl(sim), { method: 'POST', body: chatBody({ stream: true, max_tokens: 21 }), signal: AbortSignal.timeout(5000) });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(text.match(/"content":"[^"]+"/g)).toHaveLength(21);
    // 21 tokens at 100/s: 20 gaps of 10 ms after the first, which follows the 50 ms latency.
    expect(timers.waits[0]).toBeCloseTo(50, 6);
    expect(timers.waits.slice(1).map((w) => Math.round(w * 1000) / 1000)).toEqual(Array(20).fill(10));
  });

  it('repeats ids and error draws exactly for a seed', async () => {
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const s = await startSimulators(simWorkspace({ east: { latencyMs: FAST } }), { seed: 42 });
      const id = ((await postJson(chatUrl(s), chatBody())).json as { id: string }).id;
      s.setFault('east', { type: 'errors', rate: 0.5 });
      const statuses = [];
      for (let j = 0; j < 12; j++) statuses.push((await postJson(chatUrl(s), chatBody())).status);
      runs.push({ id, statuses });
      await s.close();
    }
    expect(runs[0]).toEqual(runs[1]);
    expect(new Set(runs[0]!.statuses).size).toBeGreaterThan(1);
  });
});

describe('faults', () => {
  it('outage refuses connections until cleared, on the same port', async () => {
    sim = await startSimulators(simWorkspace({ east: { latencyMs: FAST } }));
    sim.setFault('east', { type: 'outage' });
    await expect(fetch(chatUrl(sim), { method: 'POST', body: chatBody() })).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
    expect(sim.faults()).toEqual({ east: { type: 'outage' }, west: null });
    sim.clearFault('east');
    expect((await postJson(chatUrl(sim), chatBody())).status).toBe(200);
  });

  it('errors, throttle and slow', async () => {
    const timers = new VirtualTimers();
    sim = await startSimulators(simWorkspace({ east: { latencyMs: { p50: 20, p99: 20 } } }), { timers });
    sim.setFault('east', { type: 'errors', rate: 1, status: 503 });
    expect((await postJson(chatUrl(sim), chatBody())).status).toBe(503);
    sim.setFault('east', { type: 'errors', rate: 0 });
    expect((await postJson(chatUrl(sim), chatBody())).status).toBe(200);
    sim.setFault('east', { type: 'throttle', retryAfter: 30 });
    const t = await postJson(chatUrl(sim), chatBody());
    expect([t.status, t.headers.get('retry-after'), t.headers.get('retry-after-ms')]).toEqual([429, '30', '30000']);
    sim.setFault('east', { type: 'slow', factor: 10 });
    const before = timers.waits.length;
    expect((await postJson(chatUrl(sim), chatBody())).status).toBe(200);
    // The 20 ms latency, ten times over.
    expect(timers.waits.slice(before)).toHaveLength(1);
    expect(timers.waits[before]).toBeCloseTo(200, 6);
  });

  it('hang never answers, not in ten minutes (virtual clock)', async () => {
    const clock = new VirtualClock();
    sim = await startSimulators(simWorkspace({ east: { latencyMs: FAST } }), { now: clock.now, timers: clock.simulatorTimers() });
    sim.setFault('east', { type: 'hang' });
    const release = clock.virtual.hold();
    // The request is work the clock waits for until the simulator parks it; then ten minutes may pass.
    clock.virtual.requestStarted();
    const stop = new AbortController();
    let answered = false;
    const pending = fetch(chatUrl(sim), { method: 'POST', body: chatBody(), signal: stop.signal }).then(() => (answered = true));
    await new Promise<void>((r) => clock.setTimeout(r, 600_000));
    expect([answered, clock.now()]).toEqual([false, 600_000]);
    stop.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    clock.virtual.requestEnded();
    release();
  });

  it('reset cuts the answer mid-way', async () => {
    sim = await startSimulators(simWorkspace({ east: { latencyMs: FAST, tokensPerSecond: 1000 } }));
    sim.setFault('east', { type: 'reset' });
    const res = await fetch(chatUrl(sim), { method: 'POST', body: chatBody(), signal: AbortSignal.timeout(3000) });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    const stream = await fetch(chatUrl(sim), { method: 'POST', body: chatBody({ stream: true }), signal: AbortSignal.timeout(3000) });
    await expect(stream.text()).rejects.toThrow();
  });

  it('switches faults over HTTP on the simulate command routes', async () => {
    sim = await startSimulators(simWorkspace({ east: { latencyMs: FAST } }), { serveFaultRoutes: true });
    const base = `http://127.0.0.1:${sim.backends.west!.port}/_breakerboard/simulation`;
    const bad = await postJson(`${base}/east/fault`, JSON.stringify({ type: 'errors', rate: 2 }));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('rate:');
    expect((await postJson(`${base}/nope/fault`, '{"type":"hang"}')).status).toBe(404);
    expect((await postJson(`${base}/east/fault`, '{"type":"throttle","retryAfter":5}')).json).toEqual({ backend: 'east', fault: { type: 'throttle', retryAfter: 5 } });
    expect((await postJson(chatUrl(sim), chatBody())).status).toBe(429);
    expect((await fetch(`${base}/east/fault`, { method: 'DELETE' })).status).toBe(200);
    expect((await postJson(chatUrl(sim), chatBody())).status).toBe(200);
  });

  it('answers Azure-style errors for unknown paths and bad bodies', async () => {
    sim = await startSimulators(simWorkspace({ east: { latencyMs: FAST } }));
    expect((await postJson(`${sim.backends.east!.url}/nothing`, '{}')).status).toBe(404);
    expect((await postJson(chatUrl(sim), '{"messages": []}')).status).toBe(400);
    expect((await postJson(chatUrl(sim), 'not json')).status).toBe(400);
  });
});
