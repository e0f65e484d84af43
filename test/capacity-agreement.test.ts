import { describe, expect, it } from 'vitest';
import { runPlan } from '../shared/capacity';
import { validateWorkspace, type Workspace } from '../shared/model';
import { estimateChatPromptTokens } from '../shared/simulation/tokens';
import { startGateway } from '../main/gateway';
import { buildTarget, runLoad } from '../main/loadgen';
import { VIRTUAL_EPOCH } from '../main/loadgen/drill-runner';
import { VirtualClock } from '../main/loadgen/virtual-clock';
import { DEFAULT_PROMPT } from '../main/loadgen/target';
import { startSimulators } from '../main/simulator';

/*
 * Issue 17: the planner and the same profile through the real gateway and the real simulated backends agree. The
 * gateway run is compressed the way drills are (`speed`: the budget window, breaker durations, Retry-After and
 * latency divided, the rate multiplied) and runs on a drill's virtual clock (main/loadgen/virtual-clock.ts), shared
 * by load, gateway and simulator, so no timer lag of a busy machine enters: both sides must agree exactly.
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

describe('planner agreement: virtual time vs. the real gateway', () => {
  it('serves the same shares, trips the same backend, answers the clients alike', { timeout: 60_000 }, async () => {
    const ws = workspace();
    const planned = runPlan(ws, { rpm: RPM, tokensPerRequest: TOKENS, durationMs: DURATION_MS }, 1);

    const clock = new VirtualClock();
    const sims = await startSimulators(ws, { speed: SPEED, now: clock.now, timers: clock.simulatorTimers() });
    const backendUrls = Object.fromEntries(Object.entries(sims.backends).map(([id, b]) => [id, b.url]));
    const gateway = await startGateway({ workspace: ws, backendUrls, speed: SPEED, port: 0, now: clock.epoch(VIRTUAL_EPOCH), timers: clock });
    const trips: { backend: string; at: number }[] = [];
    const unsubscribe = gateway.subscribe((e) => {
      // Trip times in profile time: the virtual clock's ms since the start, times the speed.
      if (e.type === 'trip' && !('extended' in e && e.extended)) trips.push({ backend: e.backend ?? '', at: (Date.parse(e.at) - VIRTUAL_EPOCH) * SPEED });
    });
    const results: { scheduledAt: number; backend?: string }[] = [];
    let real;
    try {
      real = await runLoad({
        target: buildTarget({ url: gateway.url, api: 'openai', maxTokens: MAX_TOKENS }),
        rps: (RPM / 60) * SPEED,
        durationMs: DURATION_MS / SPEED,
        timeoutMs: 10_000,
        clock,
        onResult: (r) => results.push(r),
      });
    } finally {
      unsubscribe();
      await gateway.close();
      await sims.close();
    }

    expect(real.completed).toBe(planned.requests);
    // The scenario is not trivial: both lanes carry a real part of the traffic, and the PTU trips.
    const p = (planned.servedBy.ptu ?? 0) / planned.requests;
    expect(p).toBeGreaterThan(0.3);
    expect(p).toBeLessThan(0.9);
    expect(planned.tripCount).toBeGreaterThan(0);
    // Same shares, same answers to the clients, the same trips at the same instants.
    expect(real.servedBy).toEqual(planned.servedBy);
    expect(real.statusCounts).toEqual(planned.status);
    expect(trips).toEqual(planned.trips.map((t) => ({ backend: t.backend, at: t.at })));
    // Clients meet the spillover at the moment the planner's first trip says: the schedule time (profile time)
    // of the first answer from lane 2.
    const firstSpill = Math.min(...results.filter((r) => r.backend === 'payg').map((r) => r.scheduledAt * SPEED));
    expect(firstSpill).toBe(planned.trips[0]!.at);
  });
});
