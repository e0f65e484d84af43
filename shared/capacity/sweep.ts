import type { Workspace } from '../model/schema';
import { runPlan, type PlanRun, type TrafficProfile } from './planner';

/** `--sweep 0.5:3:0.5` → [0.5, 1, 1.5, …, 3]; a message naming the flag when it is not that shape. */
export function parseSweep(text: string): { ok: true; factors: number[] } | { ok: false; message: string } {
  const parts = text.split(':').map((p) => p.trim());
  const nums = parts.map(Number);
  if (parts.length !== 3 || nums.some((n) => !Number.isFinite(n) || parts.some((p) => p === ''))) {
    return { ok: false, message: `--sweep: "${text}" is not from:to:step (e.g. 0.5:3:0.5)` };
  }
  const [from, to, step] = nums as [number, number, number];
  if (from <= 0 || to < from || step <= 0) return { ok: false, message: '--sweep: needs 0 < from ≤ to and step > 0' };
  const count = Math.floor((to - from) / step + 1e-9) + 1;
  if (count > 50) return { ok: false, message: `--sweep: ${count} steps; at most 50` };
  // Rounded so 0.1 steps do not print as 0.30000000000000004.
  return { ok: true, factors: Array.from({ length: count }, (_, i) => Math.round((from + i * step) * 1e6) / 1e6) };
}

export interface SweepResult {
  runs: PlanRun[];
  wallMs: number;
}

/** Every factor through the planner; `now` is injected (shared/ has no clock of its own) to report the wall time. */
export function runSweep(ws: Workspace, profile: TrafficProfile, factors: readonly number[], now: () => number): SweepResult {
  const t0 = now();
  const runs = factors.map((f) => runPlan(ws, profile, f));
  return { runs, wallMs: Math.round(now() - t0) };
}
