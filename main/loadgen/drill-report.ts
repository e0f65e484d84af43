import { fidelityRowOfEvent } from '../../shared/semantics/fidelity';
import type { Drill } from '../../shared/simulation/drill-file';
import type { FaultSpec } from '../../shared/simulation/faults';
import type { LoadReport } from './run-load';
import { countTenant, tokenExpectations, type TenantCounts } from './drill-tenants';
import type { RequestResult } from './send-one';

/*
 * Everything a drill observed, and the pure step from observations to a report. Times are drill time in ms
 * (real time × speed) since the load started, so a report at --speed 10 reads like the real 90 s drill.
 */

/** The fields of the gateway's events (shared/monitor GatewayEvent) a drill reads. */
export interface GatewayEventLike {
  type: string;
  backend: string | null;
  at: string;
  reason?: string | null;
  to?: string;
  /** A trip that only pushed an open breaker's openUntil further: not a new trip. */
  extended?: boolean;
}

export interface DrillEvent {
  /** trip, extend (an open breaker held longer), reset or warning. */
  type: string;
  backend: string;
  atMs: number;
  reason?: string;
  /** The row of docs/apim-fidelity.md that decided it (F-CB-1 a trip by the rule, F-CB-4 by Retry-After, …). */
  row?: string;
}

export interface AppliedFault {
  atMs: number;
  backend: string;
  fault: FaultSpec | null;
}

/** A drill's `carbon` step as applied: the region's emission from then on (`workspace`: back to the file's value). */
export interface AppliedCarbon {
  atMs: number;
  region: string;
  emission: string;
}

export interface ShareBucket {
  fromMs: number;
  toMs: number;
  total: number;
  errors: number;
  byBackend: Record<string, number>;
}

export interface TimeToTrip {
  backend: string;
  faultAtMs: number;
  tripAtMs: number | null;
  ms: number | null;
}

export interface Expectation {
  name: string;
  expected: string;
  actual: string;
  pass: boolean;
}

export interface DrillReport {
  speed: number;
  durationMs: number;
  realDurationMs: number;
  requests: number;
  clientErrors: number;
  statusCounts: Record<string, number>;
  errors: LoadReport['errors'];
  servedBy: Record<string, number>;
  /** Requests the gateway had to try more than once (`x-breakerboard-attempts` > 1). */
  retried: number;
  failovers: number;
  /** Client-seen latency in drill time (real × speed): simulated latencies are compressed by the speed too. */
  latencyMs: LoadReport['latencyMs'];
  faults: AppliedFault[];
  /** Carbon steps (F-ROUTE-7), when the drill has any. */
  carbon?: AppliedCarbon[];
  /** Trips, resets and warnings (failovers are counted, not listed). */
  events: DrillEvent[];
  timeToTrip: TimeToTrip[];
  shares: ShareBucket[];
  expectations: Expectation[];
  pass: boolean;
  interrupted: boolean;
  /** Per tenant (load.tenants): requests, and which were refused by the token limit rather than a backend. */
  tenants?: Record<string, TenantCounts>;
  /** Run on a virtual clock (`drill --virtual-time`): every time above is the clock's; realDurationMs is the wall's. */
  virtualTime?: boolean;
}

const isClientError = (r: RequestResult) => r.error !== undefined || r.status === undefined || r.status < 200 || r.status >= 300;

/** Collects a drill's observations as they happen; `speed` turns real ms into drill ms. */
export class DrillRecorder {
  readonly faults: AppliedFault[] = [];
  readonly carbon: AppliedCarbon[] = [];
  readonly events: DrillEvent[] = [];
  failovers = 0;
  readonly tenants = new Map<string, TenantCounts>();
  private readonly buckets: ShareBucket[] = [];

  constructor(
    readonly speed: number,
    readonly bucketMs: number,
    private readonly wallStart: number,
  ) {}

  /**
   * Bucketed at the drill time the gateway could last have routed it: when it went out, or, when a timeline step
   * (a fault, its clearing, a carbon change) took effect while it was in flight, at that step. On a busy machine a request sent
   * just before a fault can reach the gateway after it and be retried elsewhere; it belongs to the fault, not to
   * the calm before it, so the shares say the same at any machine speed.
   */
  result(r: RequestResult): void {
    const sent = r.sentAt * this.speed;
    const ended = r.endedAt * this.speed;
    const step = (at: number, f: { atMs: number }) => (f.atMs > sent && f.atMs <= ended ? Math.max(at, f.atMs) : at);
    const t = this.carbon.reduce(step, this.faults.reduce(step, sent));
    const i = Math.max(0, Math.floor(t / this.bucketMs));
    while (this.buckets.length <= i) {
      const from = this.buckets.length * this.bucketMs;
      this.buckets.push({ fromMs: from, toMs: from + this.bucketMs, total: 0, errors: 0, byBackend: {} });
    }
    const b = this.buckets[i]!;
    countTenant(this.tenants, r);
    b.total++;
    if (isClientError(r)) b.errors++;
    else if (r.backend) b.byBackend[r.backend] = (b.byBackend[r.backend] ?? 0) + 1;
  }

  event(e: GatewayEventLike): void {
    if (e.type === 'failover') {
      this.failovers++;
      return;
    }
    if (e.type !== 'trip' && e.type !== 'reset' && e.type !== 'warning') return;
    const at = Date.parse(e.at);
    const atMs = Number.isFinite(at) ? Math.max(0, (at - this.wallStart) * this.speed) : NaN;
    const type = e.type === 'trip' && e.extended ? 'extend' : e.type;
    const row = fidelityRowOfEvent(e);
    this.events.push({ type, backend: e.backend ?? '', atMs, ...(e.reason != null ? { reason: e.reason } : {}), ...(row ? { row } : {}) });
  }

  fault(realMs: number, backend: string, fault: FaultSpec | null): void {
    this.faults.push({ atMs: realMs * this.speed, backend, fault });
  }

  carbonStep(realMs: number, region: string, emission: string): void {
    this.carbon.push({ atMs: realMs * this.speed, region, emission });
  }

  shares(): ShareBucket[] {
    return this.buckets;
  }
}

/** Observations + the drill's expectations → the report. Pure. */
export function buildDrillReport(drill: Drill, speed: number, load: LoadReport, rec: DrillRecorder, durationMs: number): DrillReport {
  const trips = rec.events.filter((e) => e.type === 'trip');
  const expectTripped = drill.expect.tripped;
  const timeToTrip: TimeToTrip[] = rec.faults
    .filter((f) => f.fault !== null && f.fault.type !== 'slow')
    .map((f) => {
      const trip = trips.find((t) => t.backend === f.backend && t.atMs >= f.atMs - 1);
      return { backend: f.backend, faultAtMs: f.atMs, tripAtMs: trip?.atMs ?? null, ms: trip ? Math.max(0, trip.atMs - f.atMs) : null };
    });
  const clientErrors = load.failed;
  const expectations: Expectation[] = [];
  const e = drill.expect;
  if (e.clientErrors !== undefined) expectations.push({ name: 'clientErrors', expected: `at most ${e.clientErrors}`, actual: String(clientErrors), pass: clientErrors <= e.clientErrors });
  for (const id of e.tripped ?? []) {
    const n = trips.filter((t) => t.backend === id).length;
    expectations.push({ name: `tripped ${id}`, expected: 'at least one trip', actual: `${n} trip${n === 1 ? '' : 's'}`, pass: n > 0 });
  }
  for (const id of e.notTripped ?? []) {
    const n = trips.filter((t) => t.backend === id).length;
    expectations.push({ name: `notTripped ${id}`, expected: 'no trip', actual: `${n} trip${n === 1 ? '' : 's'}`, pass: n === 0 });
  }
  if (e.maxTimeToTrip !== undefined) {
    // Only faults on backends the drill expects to trip, when it says which; a slow fault need not trip.
    const relevant = timeToTrip.filter((t) => !expectTripped || expectTripped.includes(t.backend));
    const worst = relevant.some((t) => t.ms === null) ? null : Math.max(0, ...relevant.map((t) => t.ms ?? 0));
    expectations.push({
      name: 'maxTimeToTrip',
      expected: `at most ${seconds(e.maxTimeToTrip)}`,
      actual: relevant.length === 0 ? 'no fault to measure' : worst === null ? 'a fault never tripped its backend' : seconds(worst),
      pass: relevant.length > 0 && worst !== null && worst <= e.maxTimeToTrip,
    });
  }
  expectations.push(...tokenExpectations(drill, rec.tenants));
  return {
    speed,
    durationMs,
    realDurationMs: load.elapsedMs,
    requests: load.completed,
    clientErrors,
    statusCounts: load.statusCounts,
    errors: load.errors,
    servedBy: load.servedBy,
    retried: load.retried,
    failovers: rec.failovers,
    latencyMs: inDrillTime(load.latencyMs, speed),
    faults: rec.faults,
    ...(rec.carbon.length > 0 ? { carbon: rec.carbon } : {}),
    events: rec.events,
    timeToTrip,
    shares: rec.shares(),
    expectations,
    pass: expectations.every((x) => x.pass) && !load.interrupted,
    interrupted: load.interrupted,
    ...(rec.tenants.size > 0 ? { tenants: Object.fromEntries(rec.tenants) } : {}),
  };
}

/** Drill times for people: `350 ms` under a second, else seconds with one decimal. */
export const seconds = (ms: number) => (ms < 1000 && ms > 0 ? `${Math.round(ms)} ms` : `${Math.round(ms / 100) / 10} s`);

function inDrillTime(p: LoadReport['latencyMs'], speed: number): LoadReport['latencyMs'] {
  const x = (v: number) => Math.round(v * speed * 10) / 10;
  return { count: p.count, p50: x(p.p50), p90: x(p.p90), p99: x(p.p99), max: x(p.max), mean: x(p.mean) };
}

/** Share buckets: about nine over the drill, in whole seconds of drill time, between 1 s and a minute. */
export function bucketFor(durationMs: number): number {
  return Math.min(60_000, Math.max(1000, Math.round(durationMs / 9 / 1000) * 1000));
}
