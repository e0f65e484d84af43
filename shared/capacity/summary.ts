import type { PlanRun } from './planner';

/** `192000` → `3:12` (minutes:seconds since the start of the run). */
export function clockOf(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

const pct = (x: number) => `${(Math.round(x * 1000) / 10).toFixed(1)} %`;

/**
 * One line a person reads: "at 1.5×: 96.0 % success; aoai-uksouth trips at 3:12 (429, Retry-After 41);
 * 4.0 % of requests get 503 over 40 s; 12.0 % spill over".
 */
export function describeRun(run: PlanRun): string {
  const parts = [`${pct(run.clientSuccess)} success`];
  const first = new Map<string, PlanRun['trips'][number]>();
  for (const t of run.trips) if (!first.has(t.backend)) first.set(t.backend, t);
  for (const t of first.values()) parts.push(`${t.backend} trips at ${clockOf(t.at)} (${t.reason})`);
  if (run.tripCount > first.size) parts.push(`${run.tripCount} trips in all`);
  const unavailable = run.status['503'] ?? 0;
  if (unavailable > 0 && run.requests > 0) {
    const seconds = run.noHealthy.reduce((s, o) => s + Math.max(1, Math.round((o.to - o.from) / 1000)), 0);
    parts.push(`${pct(unavailable / run.requests)} of requests get 503 over ${seconds} s`);
  }
  const throttled = run.status['429'] ?? 0;
  if (throttled > 0 && run.requests > 0) parts.push(`${pct(throttled / run.requests)} get 429`);
  if (run.spillover > 0) parts.push(`${pct(run.spillover)} spill over`);
  return `at ${run.factor}×: ${parts.join('; ')}`;
}
