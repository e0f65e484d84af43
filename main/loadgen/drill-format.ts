import { seconds, type DrillReport } from './drill-report';
import { formatTenants } from './drill-tenants';

const describeFault = (f: DrillReport['faults'][number]) => {
  if (!f.fault) return `${f.backend} cleared`;
  const { type, ...rest } = f.fault;
  const args = Object.entries(rest).map(([k, v]) => `${k} ${v}`).join(', ');
  return `${f.backend} ${type}${args ? ` (${args})` : ''}`;
};

const share = (byBackend: Record<string, number>, total: number) =>
  Object.entries(byBackend)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, n]) => `${id} ${Math.round((n / total) * 100)}%`)
    .join(', ');

/** The human drill report. Times are drill time (real × speed). */
export function formatDrillReport(r: DrillReport): string[] {
  const out: string[] = [];
  out.push(`drill: ${r.requests} requests over ${seconds(r.durationMs)} at speed ${r.speed} (${seconds(r.realDurationMs)} real${r.virtualTime ? ', virtual time' : ''})${r.interrupted ? ' — interrupted' : ''}`);
  const status = Object.entries(r.statusCounts).map(([k, v]) => `${k}: ${v}`).join(', ');
  const errors = Object.entries(r.errors).map(([k, v]) => `${k}: ${v}`).join(', ');
  out.push(`client-visible errors: ${r.clientErrors} (status ${status || 'none'}${errors ? `; no answer ${errors}` : ''})`);
  out.push(`requests that needed a retry: ${r.retried}; failovers: ${r.failovers}`);
  const l = r.latencyMs;
  if (l.count > 0) out.push(`latency (drill time): p50 ${Math.round(l.p50)} ms, p90 ${Math.round(l.p90)} ms, p99 ${Math.round(l.p99)} ms, max ${Math.round(l.max)} ms`);
  out.push('faults:');
  const steps = [
    ...r.faults.map((f) => ({ atMs: f.atMs, text: describeFault(f) })),
    // Carbon steps change where a carbon-aware pool sends traffic (docs/apim-fidelity.md F-ROUTE-7).
    ...(r.carbon ?? []).map((c) => ({ atMs: c.atMs, text: `carbon emission of ${c.region}: ${c.emission === 'workspace' ? "the workspace's value" : c.emission}  (F-ROUTE-7)` })),
  ].sort((a, b) => a.atMs - b.atMs);
  if (steps.length === 0) out.push('  none');
  for (const f of steps) out.push(`  ${seconds(f.atMs).padStart(8)}  ${f.text}`);
  out.push('breaker events:');
  if (r.events.length === 0) out.push('  none');
  for (const e of r.events) out.push(`  ${seconds(e.atMs).padStart(8)}  ${e.type.padEnd(7)} ${e.backend}${e.reason ? `  ${e.reason}` : ''}${e.row ? `  (${e.row})` : ''}`);
  for (const t of r.timeToTrip) out.push(`time from fault (${seconds(t.faultAtMs)}) to first trip of ${t.backend}: ${t.ms === null ? 'never tripped' : seconds(t.ms)}`);
  out.push(`share over time (per ${seconds(r.shares[0]?.toMs ?? 0)}):`);
  for (const b of r.shares) {
    const served = b.total - b.errors;
    out.push(`  ${`${Math.round(b.fromMs / 1000)}-${Math.round(b.toMs / 1000)} s`.padStart(10)}  ${served > 0 ? share(b.byBackend, served) : 'nothing served'}  (${b.total} requests${b.errors ? `, ${b.errors} errors` : ''})`);
  }
  out.push(...formatTenants(r.tenants));
  out.push('expectations:');
  if (r.expectations.length === 0) out.push('  none');
  for (const x of r.expectations) out.push(`  ${x.pass ? 'pass' : 'FAIL'}  ${x.name}: expected ${x.expected}, was ${x.actual}`);
  const failed = r.expectations.filter((x) => !x.pass).length;
  out.push(r.pass ? 'result: every expectation held' : `result: FAILED (${r.interrupted ? 'interrupted' : `${failed} of ${r.expectations.length} expectations`})`);
  return out;
}
