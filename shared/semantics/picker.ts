import type { CarbonEmissionCategory } from '../model/schema';

/** A pool member as the picker sees it (APIM-SEMANTICS B1–B2; carbon: F-ROUTE-7). */
export interface MemberSpec {
  backend: string;
  priority?: number;
  weight?: number;
  /** The member's `preferredCarbonEmission` (preview). */
  preferredCarbonEmission?: CarbonEmissionCategory;
  /** The backend's `azureRegion` as `regionKey` gives it, when it has one. */
  region?: string;
}

interface Group {
  priority: number;
  /** Member indexes in pool order. */
  members: number[];
  /** Whether any member of the group has a weight (then weight 0 means standby). */
  weighted: boolean;
}

/**
 * Picks a member of one pool, APIM-SEMANTICS B1–B2, synchronously and without allocating on the pick:
 * - the highest priority group (lowest number; no priority = group 0) that has an available member;
 * - inside it, smooth weighted round-robin (nginx's), so 10:1 gives exactly 10 of every 11 picks;
 *   no weights in the group = plain round-robin (weight 1 each); a missing weight in a weighted group counts 1;
 * - weight 0 = standby: used, round-robin, only when every member above 0 in its group is unavailable;
 * - carbon (F-ROUTE-7): members outside their carbon preference only when no preferred member is available.
 */
export class PoolPicker {
  readonly members: readonly MemberSpec[];
  private readonly groups: Group[];
  private readonly weight: number[];
  private readonly current: Float64Array;

  constructor(members: readonly MemberSpec[]) {
    this.members = members;
    const byPriority = new Map<number, number[]>();
    members.forEach((m, i) => {
      const p = m.priority ?? 0;
      const list = byPriority.get(p) ?? [];
      list.push(i);
      byPriority.set(p, list);
    });
    this.groups = [...byPriority.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([priority, idx]) => ({ priority, members: idx, weighted: idx.some((i) => members[i]!.weight !== undefined) }));
    this.weight = members.map((m) => m.weight ?? 1);
    this.current = new Float64Array(members.length);
  }

  /**
   * Picks a member index, or -1 when none is available. `available(i)` is asked about member i (closed breaker).
   * With `preferred` (carbon-aware pools, F-ROUTE-7), the whole algorithm — priority groups, weights, standbys —
   * first runs over the members that are available and preferred; only when that finds none does it run again over
   * every available member: "when all other backends are not available it will route traffic to these regions
   * anyway" (preview spec), "based on their remaining load balancing configuration" (Learn). A pass that finds no
   * member leaves the round-robin state untouched, so shares among the preferred members stay exact.
   */
  pick(available: (index: number) => boolean, preferred?: (index: number) => boolean): number {
    if (preferred) {
      const r = this.pass(available, preferred);
      if (r >= 0) return r;
    }
    return this.pass(available, undefined);
  }

  private pass(available: (index: number) => boolean, preferred: ((index: number) => boolean) | undefined): number {
    for (const g of this.groups) {
      let r = this.swrr(g, available, preferred, false);
      if (r >= 0) return r;
      if (g.weighted) {
        r = this.swrr(g, available, preferred, true);
        if (r >= 0) return r;
      }
    }
    return -1;
  }

  /** One smooth-WRR step over the group's active members (weight > 0), or its standbys (weight 0, counted as 1). */
  private swrr(g: Group, available: (index: number) => boolean, preferred: ((index: number) => boolean) | undefined, standby: boolean): number {
    let total = 0;
    let best = -1;
    const cur = this.current;
    for (const i of g.members) {
      const w = this.weight[i]!;
      if ((standby ? w !== 0 : w === 0) || !available(i) || (preferred !== undefined && !preferred(i))) continue;
      const ew = standby ? 1 : w;
      cur[i]! += ew;
      total += ew;
      if (best < 0 || cur[i]! > cur[best]!) best = i;
    }
    if (best >= 0) cur[best]! -= total;
    return best;
  }

  /** True when the smooth-WRR state is back at its start: a whole period has been picked (see expectedShare). */
  atRest(): boolean {
    return this.current.every((c) => c === 0);
  }
}
