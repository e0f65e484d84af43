import type { DeployedReport } from '../../../../shared/contract';

/* A reading as chart rows: one per bucket, one key per backend (requests, failures = 429 + 5xx, mean backend time). */

export interface DeployedRow {
  t: number;
  requests: Record<string, number>;
  failures: Record<string, number>;
  backendMs: Record<string, number | null>;
}

export function backendsOf(r: DeployedReport, known: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const b of r.buckets) for (const id of Object.keys(b.backends)) seen.add(id);
  // Workspace order first (stable colours), then what only the logs know (e.g. "(apim)").
  return [...known.filter((k) => seen.has(k)), ...[...seen].filter((k) => !known.includes(k)).sort()];
}

export function chartRows(r: DeployedReport, backends: readonly string[]): DeployedRow[] {
  return r.buckets.map((b) => {
    // At the middle of its bucket, so a bar covers its own interval on the time axis.
    const row: DeployedRow = { t: Date.parse(b.at) + (r.bucketSeconds * 1000) / 2, requests: {}, failures: {}, backendMs: {} };
    for (const id of backends) {
      const c = b.backends[id];
      row.requests[id] = c?.requests ?? 0;
      row.failures[id] = c ? Object.entries(c.status).reduce((n, [code, k]) => n + (code === '429' || code.startsWith('5') ? k : 0), 0) : 0;
      row.backendMs[id] = c?.backendTimeMs ?? null;
    }
    return row;
  });
}
