import { Breaker, type BreakerChange, type Outcome } from './breaker';
import { PoolPicker } from './picker';
import type { RouteBackend, RouteTable, RouteTarget } from './route-table';

/** Per pool (or single backend): its picker and its members' breakers, in member order. */
export class TargetState {
  readonly picker: PoolPicker;
  /** Set by `choose` before picking, read by `available`: avoids a closure per request. */
  private now = 0;
  readonly available = (i: number): boolean => !this.breakers[i]!.isOpen(this.now);

  constructor(
    readonly target: RouteTarget,
    readonly breakers: readonly Breaker[],
    picker?: PoolPicker,
  ) {
    this.picker = picker ?? new PoolPicker(target.members);
  }

  /** Member index to call, or -1 when every member is open (B7). */
  choose(now: number): number {
    this.now = now;
    return this.picker.pick(this.available);
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

  constructor(
    readonly table: RouteTable,
    previous?: Router,
  ) {
    for (const b of table.backends.values()) {
      const old = previous?.breakers.get(b.id);
      const keep = old && previous!.table.backends.get(b.id)?.ruleKey === b.ruleKey;
      this.breakers.set(b.id, keep ? old : new Breaker(b.rule));
    }
    for (const t of table.targets.values()) {
      const old = previous?.targets.get(t.id);
      const keepPicker = old && old.target.membersKey === t.membersKey ? old.picker : undefined;
      this.targets.set(t.id, new TargetState(t, t.members.map((m) => this.breakers.get(m.backend)!), keepPicker));
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
