import type { Percentiles } from './histogram';
import type { LoadProgress, LoadReport } from './run-load';

const pct = (n: number, of: number) => (of === 0 ? '0%' : `${Math.round((n / of) * 1000) / 10}%`);
const counts = (m: Record<string, number | undefined>) =>
  Object.entries(m)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
const ms = (v: number) => `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v)} ms`;
const percentiles = (p: Percentiles) => `p50 ${ms(p.p50)}, p90 ${ms(p.p90)}, p99 ${ms(p.p99)}, max ${ms(p.max)}`;

/** The human report of `load`: one fact per line, the way a user reads it top-down. */
export function formatLoadReport(r: LoadReport): string[] {
  const lines = [
    `${r.mode === 'open' ? `open loop at ${r.rps} req/s` : `closed loop, ${r.concurrency} in flight`}: ${r.sent} sent, ${r.completed} completed in ${(r.elapsedMs / 1000).toFixed(1)} s (${r.achievedRps} req/s)${r.interrupted ? ' — interrupted' : ''}`,
    `ok (2xx): ${r.ok} (${pct(r.ok, r.completed)}), failed: ${r.failed}`,
    `status: ${counts(r.statusCounts) || 'none'}`,
  ];
  const served = Object.values(r.servedBy).reduce((a, b) => a + b, 0);
  if (served > 0) lines.push(`served by: ${Object.entries(r.servedBy).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${v} (${pct(v, served)})`).join(', ')}`);
  if (r.retried > 0) lines.push(`retried by the gateway: ${r.retried}`);
  if (Object.keys(r.errors).length > 0) lines.push(`errors: ${counts(r.errors)}`);
  lines.push(`latency: ${percentiles(r.latencyMs)}`);
  if (r.ttftMs && r.ttftMs.count > 0) lines.push(`time to first token: ${percentiles(r.ttftMs)}`);
  return lines;
}

/** The live line on a terminal, rewritten in place. */
export function formatProgress(p: LoadProgress): string {
  return `${(p.elapsedMs / 1000).toFixed(0)} s: ${p.sent} sent, ${p.completed} done, ${p.ok} ok, ${p.failed} failed, ${p.inFlight} in flight`;
}
