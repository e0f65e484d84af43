import { Breaker, type BreakerChange, type Outcome } from './breaker';
import { RegionEmissions, withinPreference } from './carbon';
import { PoolPicker } from './picker';
import type { RouteBackend, RouteTable, RouteTarget } from './route-table';

/** Per pool (or single backend): its picker and its members' breakers, in member order. */
export class TargetState {
  readonly picker: PoolPicker;
  /** Set by `choose` before picking, read by `available`: avoids a closure per request. */
  private now = 0;
  readonly available = (i: number): boolean => !this.breakers[i]!.isOpen(this.now);

  /** Whether member i is within its carbon preference right now (F-ROUTE-7); only asked of carbon-aware pools. */
  readonly preferred = (i: number): boolean => {
    const m = this.target.members[i]!;
    return withinPreference(m.preferredCarbonEmission, this.carbon.get(m.region));
  };
  /** Some member has both a preference and a region: otherwise the pick is the plain one, at no extra cost. */
  private readonly carbonAware: boolean;

  constructor(
    readonly target: RouteTarget,
    readonly breakers: readonly Breaker[],
    picker?: PoolPicker,
    private readonly carbon: RegionEmissions = new RegionEmissions(new Map()),
  ) {
    this.picker = picker ?? new PoolPicker(target.members);
    this.carbonAware = target.members.some((m) => m.preferredCarbonEmission !== undefined && m.region !== undefined);
  }

  /** Member index to call, or -1 when every member is open (B7). */
  choose(now: number): number {
    this.now = now;
    return this.picker.pick(this.available, this.carbonAware ? this.preferred : undefined);
  }

  /** Whether a pick would find a member, without moving the picker (early 503 before a body is read). */
  anyAvailable(now: number): boolean {
    for (const b of this.breakers) if (!b.isOpen(now)) return true;
    return false;
  }

  /** Milliseconds until the earliest member closes again (for the 503's Retry-After). */
  msUntilAvailable(now: number): number {
    let min = Infinity;
    for (const b of this.breakers) min = Math.min(min, Math.max(0, b.openUntil - now));
    return min === Infinity ? 0 : min;
  }
}

/**
 * All routing state of one gateway process (B9): a breaker per backend, a picker per pool. Built from a route
 * table; on reload, state carries over for backends whose rule is unchanged and pools whose members are unchanged.
 */
export class Router {
  readonly breakers = new Map<string, Breaker>();
  readonly targets = new Map<string, TargetState>();
  /** Each region's current carbon emission: the table's, overlaid by run-time values kept across reloads (F-ROUTE-7). */
  readonly carbon: RegionEmissions;

  constructor(
    readonly table: RouteTable,
    previous?: Router,
  ) {
    this.carbon = new RegionEmissions(table.carbonEmission, previous?.carbon);
    for (const b of table.backends.values()) {
      const old = previous?.breakers.get(b.id);
      const keep = old && previous!.table.backends.get(b.id)?.ruleKey === b.ruleKey;
      this.breakers.set(b.id, keep ? old : new Breaker(b.rule));
    }
    for (const t of table.targets.values()) {
      const old = previous?.targets.get(t.id);
      const keepPicker = old && old.target.membersKey === t.membersKey ? old.picker : undefined;
      this.targets.set(t.id, new TargetState(t, t.members.map((m) => this.breakers.get(m.backend)!), keepPicker, this.carbon));
    }
  }

  backend(id: string): RouteBackend | undefined {
    return this.table.backends.get(id);
  }

  record(backendId: string, now: number, outcome: Outcome, retryAfterRawMs?: number): BreakerChange | null {
    return this.breakers.get(backendId)?.record(now, outcome, retryAfterRawMs) ?? null;
  }

  /** Manual reset (B5): false when the id is unknown. */
  reset(backendId: string): boolean {
    const b = this.breakers.get(backendId);
    if (!b) return false;
    b.close();
    return true;
  }

  /** Backend ids whose breaker state was kept from `previous` (for the reload's config event). */
  keptFrom(previous: Router): string[] {
    return [...this.breakers.entries()].filter(([id, b]) => previous.breakers.get(id) === b).map(([id]) => id);
  }
}
