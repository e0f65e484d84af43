import type { Workspace } from '../model/schema';
import { compileRoutes, Router, shouldRetry, type Outcome, type RouteTarget } from '../semantics';
import { latencySampler } from '../simulation/latency';
import { hashString, seededRandom } from '../simulation/prng';
import { SlidingBudget } from '../simulation/rate-budget';
import { budgetOf } from './budgets';
import { EventQueue } from './event-queue';

/*
 * The capacity planner (DESIGN §6 `capacity`): a traffic profile through the engine's own routing code
 * (shared/semantics: route table, picker, breakers, retry decision) against simulated backends whose budgets are
 * the simulator's sliding-window model (shared/simulation/rate-budget), in virtual time. Nothing sleeps: the
 * clock jumps from one event (an arrival, an answer finishing) to the next, so an hour takes well under a second.
 *
 * What a request does here is what it does through `gateway --simulate`: the pick, the budget check at arrival
 * (Azure charges tokens at admission), a 429 answered at once with `Retry-After` in whole seconds, the breaker
 * recording that status, a retry re-picking from the pool, `503 NoHealthyBackend` when every member is open; a
 * 2xx is recorded by the breaker when the answer ends (after the simulated latency).
 */

export interface TrafficProfile {
  /** Requests per minute at factor 1. */
  rpm: number;
  /** Tokens each request costs at admission (prompt + max_tokens). */
  tokensPerRequest: number;
  durationMs: number;
  /** `uniform` (the load generator's open loop: request i at i / rate) or `poisson`. Default uniform. */
  arrivals?: 'uniform' | 'poisson';
  seed?: number;
  /** The api whose pool is planned; default the first api, else the first pool. */
  api?: string;
}

export interface PlanTrip {
  backend: string;
  /** Milliseconds since the start of the run. */
  at: number;
  reason: string;
  /** When the breaker closes again, ms since the start. */
  until: number;
}

export interface PlanRun {
  factor: number;
  requests: number;
  /** Share of requests answered 2xx (0–1). */
  clientSuccess: number;
  status: Record<string, number>;
  /** Which backend answered (as the gateway's `x-breakerboard-backend`); 503 NoHealthyBackend has none. */
  servedBy: Record<string, number>;
  /** The first trips (at most MAX_TRIPS); `tripCount` counts them all. */
  trips: PlanTrip[];
  tripCount: number;
  /** Share of 2xx answers served by a lower-priority lane than the pool's first (0–1). */
  spillover: number;
  /** Requests that took more than one try. */
  retried: number;
  /** Periods in which clients got 503 NoHealthyBackend (gaps under a second merged), ms since the start. */
  noHealthy: { from: number; to: number; requests: number }[];
}

export interface PlanContext {
  /** The api or pool planned. */
  target: string;
  /** Backends planned without any budget (unlimited). */
  unlimited: string[];
}

const MAX_TRIPS = 200;
/** Bounds one run (about 20 s on this machine), so a typo in the rate cannot hang the CLI or the app. */
export const MAX_PLAN_REQUESTS = 20_000_000;
const MAX_OUTAGES = 200;
const MINUTE = 60_000;
const DEFAULT_SEED = 20_261_125;

interface Choice {
  target: RouteTarget;
  retryCount: number;
  retryOn: ReadonlySet<number>;
  name: string;
}

/** The api (or pool) the profile goes to, or a message naming what is missing. */
function chooseTarget(ws: Workspace, table: ReturnType<typeof compileRoutes>, api?: string): Choice | string {
  if (api !== undefined) {
    const found = table.apis.find((a) => a.id === api);
    if (!found) return `api: "${api}" is not an api of the workspace (apis: ${Object.keys(ws.apis ?? {}).join(', ') || 'none'})`;
    return { target: found.target, retryCount: found.retryCount, retryOn: found.retryOn, name: found.id };
  }
  const first = Object.keys(ws.apis ?? {})[0];
  if (first !== undefined) {
    const a = table.apis.find((x) => x.id === first)!;
    return { target: a.target, retryCount: a.retryCount, retryOn: a.retryOn, name: a.id };
  }
  const pool = Object.keys(ws.pools ?? {})[0];
  if (pool !== undefined) return { target: table.targets.get(pool)!, retryCount: 0, retryOn: new Set(), name: pool };
  return 'apis: the planner needs an api or a pool to send the traffic to';
}

export function planContext(ws: Workspace, api?: string): PlanContext | string {
  const table = compileRoutes(ws);
  const choice = chooseTarget(ws, table, api);
  if (typeof choice === 'string') return choice;
  const members = [...new Set(choice.target.members.map((m) => m.backend))];
  return { target: choice.name, unlimited: members.filter((id) => budgetOf(ws, id).source === 'none') };
}

/** One run of the profile at `factor` × its rate. Throws with a field-naming message when nothing can be planned. */
export function runPlan(ws: Workspace, profile: TrafficProfile, factor = 1): PlanRun {
  const table = compileRoutes(ws);
  const choice = chooseTarget(ws, table, profile.api);
  if (typeof choice === 'string') throw new Error(choice);
  const router = new Router(table);
  const state = router.targets.get(choice.target.id)!;
  const members = choice.target.members;
  const seed = profile.seed ?? DEFAULT_SEED;

  // Per member index: its budget and latency draw (a backend listed twice in a pool shares one budget).
  const budgets = new Map<string, SlidingBudget>();
  const latency = new Map<string, () => number>();
  for (const m of members) {
    if (budgets.has(m.backend)) continue;
    const b = budgetOf(ws, m.backend);
    budgets.set(m.backend, new SlidingBudget({ tokensPerWindow: b.tokensPerMinute, requestsPerWindow: b.requestsPerMinute, windowMs: MINUTE }));
    latency.set(m.backend, latencySampler(b.latencyMs, seededRandom(hashString(m.backend, seed) ^ 0x1)));
  }
  const memberBudget = members.map((m) => budgets.get(m.backend)!);
  const memberLatency = members.map((m) => latency.get(m.backend)!);
  const topPriority = Math.min(...members.map((m) => m.priority ?? 0));
  const spills = members.map((m) => (m.priority ?? 0) !== topPriority);

  const rate = (profile.rpm * factor) / MINUTE; // requests per ms
  const total = rate > 0 ? Math.ceil(profile.durationMs * rate) : 0;
  if (total > MAX_PLAN_REQUESTS) {
    throw new Error(`duration: ${total.toLocaleString('en-US')} requests at ${factor}× over ${Math.round(profile.durationMs / 60_000)} min; at most ${MAX_PLAN_REQUESTS.toLocaleString('en-US')} per run (shorten the duration)`);
  }
  const interval = rate > 0 ? 1 / rate : Infinity;
  const arrivalRandom = seededRandom(hashString('arrivals', seed));
  const poisson = profile.arrivals === 'poisson';
  const tokens = profile.tokensPerRequest;

  const status: Record<string, number> = {};
  const servedBy: Record<string, number> = {};
  const trips: PlanTrip[] = [];
  const noHealthy: PlanRun['noHealthy'] = [];
  let tripCount = 0;
  let ok = 0;
  let spilled = 0;
  let retried = 0;
  const completions = new EventQueue();
  const okOutcome: Outcome = { status: 200 };

  const count = (map: Record<string, number>, key: string) => (map[key] = (map[key] ?? 0) + 1);
  const record = (backend: string, now: number, outcome: Outcome, retryAfterRawMs?: number) => {
    const change = router.record(backend, now, outcome, retryAfterRawMs);
    if (change?.kind === 'trip') {
      tripCount++;
      if (trips.length < MAX_TRIPS) trips.push({ backend, at: Math.round(now), reason: change.reason, until: Math.round(change.openUntil) });
    }
  };
  const drainUntil = (t: number) => {
    while (completions.size > 0 && completions.peekTime() <= t) {
      const at = completions.peekTime();
      const member = completions.pop()!;
      record(members[member]!.backend, at, okOutcome);
    }
  };
  const noBackend = (now: number) => {
    count(status, '503');
    const last = noHealthy[noHealthy.length - 1];
    if (last && now - last.to <= 1000) {
      last.to = Math.round(now);
      last.requests++;
    } else if (noHealthy.length < MAX_OUTAGES) noHealthy.push({ from: Math.round(now), to: Math.round(now), requests: 1 });
  };

  let next = 0;
  for (let i = 0; i < total; i++) {
    const now = poisson ? next : i * interval;
    if (now > profile.durationMs) break;
    if (poisson) next += -Math.log(1 - arrivalRandom()) * interval;
    drainUntil(now);
    let pick = state.choose(now);
    if (pick < 0) {
      noBackend(now);
      continue;
    }
    for (let attempts = 1; ; attempts++) {
      const backend = members[pick]!.backend;
      const decision = memberBudget[pick]!.take(now, tokens);
      if (decision.ok) {
        completions.push(now + memberLatency[pick]!(), pick);
        count(status, '200');
        count(servedBy, backend);
        ok++;
        if (spills[pick]) spilled++;
        if (attempts > 1) retried++;
        break;
      }
      // The simulator answers 429 with Retry-After in whole seconds, and the gateway reads that header.
      const retryAfterMs = Math.max(1, Math.ceil(decision.retryAfterMs / 1000)) * 1000;
      const outcome: Outcome = { status: 429, retryAfterMs };
      record(backend, now, outcome, retryAfterMs);
      const again = shouldRetry(outcome, attempts, choice.retryCount, choice.retryOn, true) ? state.choose(now) : -1;
      if (again < 0) {
        // No retry left, or every member open: the last answer passes through (B8).
        count(status, '429');
        count(servedBy, backend);
        if (attempts > 1) retried++;
        break;
      }
      pick = again;
    }
  }
  drainUntil(Infinity);
  const requests = Object.values(status).reduce((a, b) => a + b, 0);
  return {
    factor,
    requests,
    clientSuccess: requests > 0 ? ok / requests : 1,
    status,
    servedBy,
    trips,
    tripCount,
    spillover: ok > 0 ? spilled / ok : 0,
    retried,
    noHealthy,
  };
}
