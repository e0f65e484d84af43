import { formatPath } from '../model/paths';
import type { Api, Backend, BreakerRule, Pool, PoolMember, Workspace } from '../model/schema';
import { BREAKER_PRESETS } from './presets';
import { checkNewId } from './backends';

/*
 * A pool designed from capacity facts (issue 17): provisioned (PTU) deployments in priority 1, pay-as-you-go in
 * priority 2 — the spillover pattern Microsoft documents (docs/apim-fidelity.md F-CAP-2) — weights inside a lane
 * proportional to capacity, and a breaker per member from a preset matching its SKU. Returned as a list of
 * changes the user accepts (all or some) or edits; nothing is applied here.
 */

export type CapacityLane = 'ptu' | 'payg';

/** Plain JSON values only (shared/ has no structuredClone in its lib). */
const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

export interface SuggestedMember {
  backend: string;
  lane: CapacityLane;
  priority: number;
  weight?: number;
  /** What the weight was derived from (tokens per minute, or PTUs), when known. */
  capacity?: number;
}

export interface SuggestedChange {
  /** Display path, e.g. `pools.pool-gpt-4o` or `backends.x.circuitBreaker`. */
  path: string;
  segments: string[];
  before: unknown;
  after: unknown;
  why: string;
}

export interface PoolSuggestion {
  model: string;
  pool: string;
  members: SuggestedMember[];
  changes: SuggestedChange[];
  /** Things the user should know (kept members, unknown capacities, deployment names that differ). */
  notes: string[];
}

export interface SuggestOptions {
  model: string;
  /** The pool to create or redesign; default `pool-<model>`. */
  pool?: string;
}

export const isProvisionedSku = (sku: string) => /Provisioned/i.test(sku);
/** Batch deployments answer jobs, not live requests: they never belong in a live pool. */
const isBatchSku = (sku: string) => /Batch/i.test(sku);

/** PTU preset: trip on the first 429 and stay out as long as Retry-After says (BREAKER_PRESETS `aoai-ptu`). */
export const PTU_BREAKER: BreakerRule = { name: 'ptuRetryAfter', ...clone(BREAKER_PRESETS.find((p) => p.id === 'aoai-ptu')!.rule) };

/** Pay-as-you-go preset: 429 and 5xx count; three within a minute trip it, Retry-After honoured. */
export const PAYG_BREAKER: BreakerRule = {
  name: 'paygThrottleOr5xx',
  failureCondition: { count: 3, interval: 'PT1M', statusCodeRanges: [{ min: 429, max: 429 }, { min: 500, max: 599 }], errorReasons: ['Server errors'] },
  tripDuration: 'PT1M',
  acceptRetryAfter: true,
};

/** Models named in the workspace's recorded capacities, for the model picker. */
export function capacityModels(ws: Workspace): string[] {
  const models = new Set<string>();
  for (const b of Object.values(ws.backends)) if (b.capacity?.model) models.add(b.capacity.model);
  return [...models].sort();
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Weights 1–100 proportional to `caps`, reduced (300k:100k → 3:1); undefined for a lane of one or an unknown. */
export function proportionalWeights(caps: readonly (number | undefined)[]): (number | undefined)[] {
  if (caps.length < 2 || caps.some((c) => c === undefined || c <= 0 || !Number.isInteger(c))) return caps.map(() => undefined);
  const whole = caps as number[];
  const d = whole.reduce(gcd);
  const reduced = whole.map((c) => c / d);
  const max = Math.max(...reduced);
  if (max <= 100) return reduced;
  // Beyond APIM's 100, scale: the ratio is kept to the nearest whole weight, and nobody drops to standby (0).
  return reduced.map((c) => Math.max(1, Math.round((c / max) * 100)));
}

function laneCapacities(backends: [string, Backend][]): (number | undefined)[] {
  // One unit per lane: tokens per minute when every member has it, else PTUs when every member has those.
  if (backends.every(([, b]) => b.capacity?.tokensPerMinute !== undefined)) return backends.map(([, b]) => b.capacity!.tokensPerMinute);
  if (backends.every(([, b]) => b.capacity?.ptu !== undefined)) return backends.map(([, b]) => b.capacity!.ptu);
  return backends.map(() => undefined);
}

const sanitize = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9_]+/, '');

export function suggestPool(ws: Workspace, opts: SuggestOptions): { ok: true; suggestion: PoolSuggestion } | { ok: false; message: string } {
  const candidates = Object.entries(ws.backends).filter(([, b]) => b.capacity?.model === opts.model && !isBatchSku(b.capacity.sku));
  if (candidates.length === 0) {
    const models = capacityModels(ws);
    return { ok: false, message: `no backend with a recorded capacity serves ${opts.model}${models.length ? ` (models: ${models.join(', ')})` : ': add deployments from discovery first'}` };
  }
  const poolId = opts.pool ?? `pool-${sanitize(opts.model)}`.slice(0, 80);
  const existing = ws.pools?.[poolId];
  if (!existing) {
    const problem = checkNewId(ws, poolId);
    if (problem) return { ok: false, message: `pool: ${problem}` };
  }
  const notes: string[] = [];
  const members: SuggestedMember[] = [];
  for (const [lane, priority] of [['ptu', 1], ['payg', 2]] as const) {
    const inLane = candidates.filter(([, b]) => isProvisionedSku(b.capacity!.sku) === (lane === 'ptu'));
    const caps = laneCapacities(inLane);
    const weights = proportionalWeights(caps);
    if (inLane.length > 1 && weights[0] === undefined) notes.push(`${lane === 'ptu' ? 'PTU' : 'pay-as-you-go'} lane: not every member has a comparable capacity, so the lane round-robins (set weights by hand)`);
    inLane.forEach(([id], i) => members.push({ backend: id, lane, priority, ...(weights[i] !== undefined ? { weight: weights[i] } : {}), ...(caps[i] !== undefined ? { capacity: caps[i] } : {}) }));
  }
  if (!members.some((m) => m.lane === 'ptu')) notes.push('no provisioned (PTU) deployment: every member is pay-as-you-go, in priority 2');

  const services: PoolMember[] = members.map((m) => ({ backend: m.backend, priority: m.priority, ...(m.weight !== undefined ? { weight: m.weight } : {}) }));
  // Never drop what the user put in an existing pool: members this suggestion does not cover stay, as they were.
  const kept = (existing?.services ?? []).filter((s) => !members.some((m) => m.backend === s.backend));
  if (kept.length > 0) notes.push(`kept in ${poolId} as they were: ${kept.map((k) => k.backend).join(', ')}`);
  const pool: Pool = { ...(existing ?? { description: `${opts.model}: PTU first, pay-as-you-go spillover` }), services: [...services, ...kept] };

  const deploymentNames = new Set(candidates.map(([, b]) => b.capacity?.deployment).filter((d): d is string => d !== undefined));
  if (deploymentNames.size > 1) {
    notes.push(`deployment names differ (${[...deploymentNames].join(', ')}): APIM forwards the client's /deployments/<name>/… path as it is, so every member needs a deployment of the name clients use`);
  }

  const changes: SuggestedChange[] = [];
  const change = (segments: string[], before: unknown, after: unknown, why: string) => {
    if (JSON.stringify(before) !== JSON.stringify(after)) changes.push({ path: formatPath(segments), segments, before, after, why });
  };
  change(['pools', poolId], existing, pool, existing ? 'PTU members in priority 1, pay-as-you-go in priority 2, weights by capacity' : `a pool for ${opts.model}: PTU first, pay-as-you-go spillover`);
  for (const m of members) {
    const b = ws.backends[m.backend]!;
    const rule = m.lane === 'ptu' ? PTU_BREAKER : PAYG_BREAKER;
    change(['backends', m.backend, 'circuitBreaker'], b.circuitBreaker, { rules: [clone(rule)] }, m.lane === 'ptu' ? 'PTU: trip on 429 for as long as Retry-After says, so traffic spills over at once' : 'pay-as-you-go: 429 and 5xx count; three in a minute trip it');
  }
  const apis = Object.entries(ws.apis ?? {});
  const using = apis.filter(([, a]) => a.backend === poolId);
  for (const [id, a] of using) {
    if (!a.retry || a.retry.count === 0) change(['apis', id, 'retry'], a.retry, { count: 1, on: [429, 503] }, 'retry once on 429 and 503: the request that met a full PTU is answered by the next lane instead of the client');
  }
  if (using.length === 0 && apis.length === 0) {
    const api: Api = { path: 'openai', backend: poolId, retry: { count: 1, on: [429, 503] } };
    change(['apis', 'azure-openai'], undefined, api, 'an api for the pool (path openai), retrying once on 429 and 503');
  } else if (using.length === 0) {
    notes.push(`no api uses ${poolId} yet: point one at it (apis.<id>.backend) to route traffic through it`);
  }
  return { ok: true, suggestion: { model: opts.model, pool: poolId, members, changes, notes } };
}

/** The workspace with the accepted changes (default: all) applied; each change replaces the value at its path. */
export function applySuggestion(ws: Workspace, suggestion: PoolSuggestion, accepted?: readonly string[]): Workspace {
  let out = ws;
  for (const c of suggestion.changes) {
    if (accepted && !accepted.includes(c.path)) continue;
    out = setIn(out, c.segments, clone(c.after)) as Workspace;
  }
  return out;
}

function setIn(value: unknown, segments: readonly string[], next: unknown): unknown {
  if (segments.length === 0) return next;
  const [head, ...rest] = segments as [string, ...string[]];
  const obj = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const copy = { ...obj };
  const inner = setIn(obj[head], rest, next);
  if (inner === undefined) delete copy[head];
  else copy[head] = inner;
  return copy;
}
