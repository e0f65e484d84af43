import { describe, expect, it } from 'vitest';
import { validateWorkspace, type Workspace } from '../model';
import { describeRun } from './summary';
import { parseSweep, runSweep } from './sweep';
import { planContext, runPlan, type TrafficProfile } from './planner';

const PTU_RULE = { name: 'ptu', failureCondition: { count: 1, interval: 'PT1M', statusCodeRanges: [{ min: 429, max: 429 }] }, tripDuration: 'PT1M', acceptRetryAfter: true };

/** A PTU deployment in lane 1 (60 000 TPM) and a pay-as-you-go one in lane 2 (120 000 TPM). */
function spillover(retry = true): Workspace {
  const ws = {
    version: 1,
    backends: {
      ptu: { url: 'https://ptu.openai.azure.com/openai', circuitBreaker: { rules: [PTU_RULE] }, capacity: { sku: 'ProvisionedManaged', tokensPerMinute: 60_000, ptu: 100 } },
      payg: { url: 'https://payg.openai.azure.com/openai', capacity: { sku: 'Standard', tokensPerMinute: 120_000 } },
    },
    pools: { pool: { services: [{ backend: 'ptu', priority: 1 }, { backend: 'payg', priority: 2 }] } },
    apis: { chat: { path: 'openai', backend: 'pool', ...(retry ? { retry: { count: 1, on: [429, 503] } } : {}) } },
  };
  const v = validateWorkspace(ws);
  if (!v.ok) throw new Error(JSON.stringify(v.errors));
  return v.workspace;
}

const profile: TrafficProfile = { rpm: 600, tokensPerRequest: 100, durationMs: 10 * 60_000 };

describe('capacity planner (virtual time, the engine semantics)', () => {
  it('sends every request and accounts for each once', () => {
    const run = runPlan(spillover(), profile, 1);
    expect(run.requests).toBe(6000);
    expect(Object.values(run.status).reduce((a, b) => a + b, 0)).toBe(6000);
    expect(Object.values(run.servedBy).reduce((a, b) => a + b, 0)).toBe(6000 - (run.status['503'] ?? 0));
  });

  it('below the PTU budget everything stays in lane 1', () => {
    // 300 req/min × 100 tokens = 30 000 TPM < 60 000.
    const run = runPlan(spillover(), profile, 0.5);
    expect(run.clientSuccess).toBe(1);
    expect(run.servedBy).toEqual({ ptu: 3000 });
    expect(run.spillover).toBe(0);
    expect(run.tripCount).toBe(0);
  });

  it('above it the PTU trips on 429 with Retry-After and lane 2 takes the overflow', () => {
    const run = runPlan(spillover(), profile, 1.5);
    expect(run.tripCount).toBeGreaterThan(0);
    expect(run.trips[0]!.backend).toBe('ptu');
    expect(run.trips[0]!.reason).toMatch(/^429, Retry-After \d+$/);
    // Until the first minute's budget is used up nothing trips: 600 requests fit in the first 40 s at 900/min.
    expect(run.trips[0]!.at).toBeGreaterThan(39_000);
    expect(run.trips[0]!.at).toBeLessThan(41_000);
    expect(run.spillover).toBeGreaterThan(0.2);
    // 900/min against 600 + 1200 of capacity: with the retry every request is served.
    expect(run.clientSuccess).toBe(1);
  });

  it('without retry the 429 that trips the breaker reaches the client', () => {
    const withRetry = runPlan(spillover(true), profile, 1.5);
    const without = runPlan(spillover(false), profile, 1.5);
    expect(without.status['429']).toBeGreaterThan(0);
    expect(without.clientSuccess).toBeLessThan(withRetry.clientSuccess);
  });

  it('the budget is the simulator sliding minute: a lone backend at twice its rate serves half', () => {
    const ws = validateWorkspace({ version: 1, backends: { one: { url: 'https://one.openai.azure.com/openai' } }, apis: { a: { path: 'openai', backend: 'one' } }, simulation: { one: { tokensPerMinute: 60_000 } } });
    if (!ws.ok) throw new Error('invalid');
    const run = runPlan(ws.workspace, { rpm: 1200, tokensPerRequest: 100, durationMs: 30 * 60_000 }, 1);
    expect(run.clientSuccess).toBeGreaterThan(0.49);
    expect(run.clientSuccess).toBeLessThan(0.51);
    expect(run.status['429']).toBe(run.requests - run.status['200']!);
  });

  it('simulation budgets win over capacity', () => {
    const ws = spillover();
    ws.simulation = { ptu: { tokensPerMinute: 1_000_000 } };
    const run = runPlan(ws, profile, 1.5);
    expect(run.servedBy).toEqual({ ptu: 9000 });
  });

  it('all members open: 503 NoHealthyBackend periods are reported', () => {
    const ws = spillover();
    ws.backends.payg!.circuitBreaker = { rules: [{ ...PTU_RULE, name: 'payg' }] };
    const run = runPlan(ws, profile, 4);
    expect(run.status['503']).toBeGreaterThan(0);
    expect(run.noHealthy.length).toBeGreaterThan(0);
    expect(run.noHealthy.reduce((s, o) => s + o.requests, 0)).toBe(run.status['503']);
    expect(describeRun(run)).toMatch(/of requests get 503 over \d+ s/);
  });

  it('repeats exactly for a seed, Poisson arrivals included', () => {
    const p: TrafficProfile = { ...profile, arrivals: 'poisson', seed: 7 };
    expect(runPlan(spillover(), p, 1.5)).toEqual(runPlan(spillover(), p, 1.5));
    expect(runPlan(spillover(), { ...p, seed: 8 }, 1.5)).not.toEqual(runPlan(spillover(), p, 1.5));
  });

  it('names what is missing when there is nothing to plan', () => {
    const ws = validateWorkspace({ version: 1, backends: { one: { url: 'https://one.openai.azure.com/openai' } } });
    if (!ws.ok) throw new Error('invalid');
    expect(() => runPlan(ws.workspace, profile)).toThrow(/^apis: /);
    expect(planContext(spillover(), 'nope')).toMatch(/^api: "nope" is not an api/);
    expect(planContext(ws.workspace)).toMatch(/^apis:/);
    const unl = spillover();
    delete unl.backends.payg!.capacity;
    expect(planContext(unl)).toEqual({ target: 'chat', unlimited: ['payg'] });
  });
});

describe('sweep', () => {
  it('parses from:to:step', () => {
    expect(parseSweep('0.5:3:0.5')).toEqual({ ok: true, factors: [0.5, 1, 1.5, 2, 2.5, 3] });
    expect(parseSweep('0.1:0.3:0.1')).toEqual({ ok: true, factors: [0.1, 0.2, 0.3] });
    expect(parseSweep('1:1:1')).toEqual({ ok: true, factors: [1] });
    expect(parseSweep('3:1:1')).toMatchObject({ ok: false, message: expect.stringMatching(/^--sweep: /) });
    expect(parseSweep('a:b')).toMatchObject({ ok: false, message: expect.stringMatching(/from:to:step/) });
    expect(parseSweep('0.01:10:0.01')).toMatchObject({ ok: false, message: expect.stringMatching(/at most 50/) });
  });

  it('runs each factor and reports the wall time from the injected clock', () => {
    let t = 1000;
    const r = runSweep(spillover(), { ...profile, durationMs: 120_000 }, [0.5, 2], () => (t += 250));
    expect(r.runs.map((x) => x.factor)).toEqual([0.5, 2]);
    expect(r.wallMs).toBe(250);
    expect(r.runs[1]!.spillover).toBeGreaterThan(r.runs[0]!.spillover);
  });
});
