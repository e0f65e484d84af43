import { describe, expect, it } from 'vitest';
import { runPlan } from '../shared/capacity';
import { validateWorkspace, type Workspace } from '../shared/model';
import { estimateChatPromptTokens } from '../shared/simulation/tokens';
import { startGateway } from '../main/gateway';
import { buildTarget, runLoad } from '../main/loadgen';
import { DEFAULT_PROMPT } from '../main/loadgen/target';
import { startSimulators } from '../main/simulator';

/*
 * Issue 17: the planner in virtual time and the same profile in real time through the real gateway and the real
 * simulated backends agree within sampling error. The real run is compressed the way drills are (`speed`: the
 * budget window, breaker durations, Retry-After and latency divided, the rate multiplied), so two minutes of
 * traffic take fifteen seconds; the request count is the same.
 */

const SPEED = 8;
const RPM = 300;
const DURATION_MS = 2 * 60_000;
const MAX_TOKENS = 90;
const TOKENS = estimateChatPromptTokens([{ role: 'user', content: DEFAULT_PROMPT }]) + MAX_TOKENS;

function workspace(): Workspace {
  const v = validateWorkspace({
    version: 1,
    backends: {
      ptu: {
        url: 'https://ptu.openai.azure.com/openai',
        // Three 429s in 10 s trip it: a lone 429 from timer jitter at the budget's edge is retried, not a trip.
        circuitBreaker: { rules: [{ name: 'ptu', failureCondition: { count: 3, interval: 'PT10S', statusCodeRanges: [{ min: 429, max: 429 }] }, tripDuration: 'PT1M', acceptRetryAfter: true }] },
      },
      payg: { url: 'https://payg.openai.azure.com/openai' },
    },
    pools: { pool: { services: [{ backend: 'ptu', priority: 1 }, { backend: 'payg', priority: 2 }] } },
    apis: { chat: { path: 'openai', backend: 'pool', retry: { count: 1, on: [429, 503] } } },
    // The PTU takes 200 of the 300 requests a minute; pay-as-you-go has room for the rest.
    simulation: { ptu: { tokensPerMinute: 200 * TOKENS, latencyMs: { p50: 20, p99: 60 } }, payg: { tokensPerMinute: 1000 * TOKENS, latencyMs: { p50: 20, p99: 60 } } },
  });
  if (!v.ok) throw new Error(JSON.stringify(v.errors));
  return v.workspace;
}

/** Three standard errors of a proportion over n, plus a small allowance for timer jitter at the budget edges. */
const tolerance = (p: number, n: number) => 3 * Math.sqrt((p * (1 - p)) / n) + 0.02;

describe('planner agreement: virtual time vs. the real gateway', () => {
  it('serves the same shares, trips the same backend, answers the clients alike', { timeout: 60_000 }, async () => {
    const ws = workspace();
    const planned = runPlan(ws, { rpm: RPM, tokensPerRequest: TOKENS, durationMs: DURATION_MS }, 1);

    const sims = await startSimulators(ws, { speed: SPEED });
    const backendUrls = Object.fromEntries(Object.entries(sims.backends).map(([id, b]) => [id, b.url]));
    const gateway = await startGateway({ workspace: ws, backendUrls, speed: SPEED, port: 0 });
    const trips: string[] = [];
    const unsubscribe = gateway.subscribe((e) => {
      if (e.type === 'trip' && !('extended' in e && e.extended)) trips.push(e.backend ?? '');
    });
    const results: { scheduledAt: number; backend?: string }[] = [];
    let real;
    try {
      real = await runLoad({
        target: buildTarget({ url: gateway.url, api: 'openai', maxTokens: MAX_TOKENS }),
        rps: (RPM / 60) * SPEED,
        durationMs: DURATION_MS / SPEED,
        timeoutMs: 10_000,
        onResult: (r) => results.push(r),
      });
    } finally {
      unsubscribe();
      await gateway.close();
      await sims.close();
    }

    expect(real.completed).toBe(planned.requests);
    const n = planned.requests;
    const share = (servedBy: Record<string, number>, id: string) => (servedBy[id] ?? 0) / n;
    const p = share(planned.servedBy, 'ptu');
    // The scenario is not trivial: both lanes carry a real part of the traffic.
    expect(p).toBeGreaterThan(0.3);
    expect(p).toBeLessThan(0.9);
    expect(Math.abs(share(real.servedBy, 'ptu') - p)).toBeLessThanOrEqual(tolerance(p, n));
    expect(Math.abs(share(real.servedBy, 'payg') - share(planned.servedBy, 'payg'))).toBeLessThanOrEqual(tolerance(p, n));
    const ok = (real.statusCounts['200'] ?? 0) / n;
    expect(Math.abs(ok - planned.clientSuccess)).toBeLessThanOrEqual(tolerance(planned.clientSuccess, n));
    // The same backend trips, and clients meet the spillover at the moment the planner says. Trip counts are not compared: once the PTU's minute refills at exactly the
    // arrival rate, a millisecond of jitter decides whether a request meets a full budget (a 1 s Retry-After trip).
    expect(new Set(trips)).toEqual(new Set(planned.trips.map((t) => t.backend)));
    // When clients first met the spillover: the schedule time (profile time) of the first answer from lane 2.
    const firstSpill = Math.min(...results.filter((r) => r.backend === 'payg').map((r) => r.scheduledAt * SPEED));
    // Give or take 3 s of profile time (timer lag on a shared machine, times the speed).
    expect(Math.abs(firstSpill - planned.trips[0]!.at)).toBeLessThanOrEqual(3000);
  });
});
