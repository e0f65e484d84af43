import type { CapacityPlan } from '../../../../shared/contract/discovery';

export interface SweepRow {
  factor: number;
  /** Percentages 0–100 of all requests (spillover: of the answered ones). */
  success: number;
  throttled: number;
  unavailable: number;
  spillover: number;
}

const pct = (x: number) => Math.round(x * 1000) / 10;

/** One chart row per load factor: client success, 429s, 503s and the spillover share, in percent. */
export function sweepRows(plan: CapacityPlan): SweepRow[] {
  return plan.runs.map((r) => ({
    factor: r.factor,
    success: pct(r.clientSuccess),
    throttled: pct(r.requests > 0 ? (r.status['429'] ?? 0) / r.requests : 0),
    unavailable: pct(r.requests > 0 ? (r.status['503'] ?? 0) / r.requests : 0),
    spillover: pct(r.spillover),
  }));
}
