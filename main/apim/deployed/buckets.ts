import type { Workspace } from '../../../shared/model';
import type { Row } from './log-analytics';

/*
 * Query rows → the `monitor --deployed --json` shape (DESIGN §6): `{ at, backends: { <id>: { requests, status } } }`
 * per bucket, plus latency and tokens where the logs have them; and the breaker openings the traffic implies.
 * Pure, so the Monitor and the CLI chart the same numbers.
 */

/** Requests APIM answered without calling a backend (BackendId empty): every breaker open, policy errors. */
export const NO_BACKEND = '(apim)';

export interface BackendBucket {
  requests: number;
  status: Record<string, number>;
  /** Mean BackendTime (ms) over the bucket's requests. */
  backendTimeMs?: number;
  promptTokens?: number;
  completionTokens?: number;
  /** The last LastErrorReason seen (e.g. "BackendConnectionFailure"). */
  lastErrorReason?: string;
}

export interface DeployedBucket {
  at: string;
  backends: Record<string, BackendBucket>;
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());
const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0)) || 0;

export function bucketsFrom(traffic: Row[], tokens: Row[]): DeployedBucket[] {
  const byAt = new Map<string, DeployedBucket>();
  const get = (at: string, backend: string) => {
    let b = byAt.get(at);
    if (!b) byAt.set(at, (b = { at, backends: {} }));
    return (b.backends[backend] ??= { requests: 0, status: {} });
  };
  const timeSums = new Map<BackendBucket, number>();
  for (const r of traffic) {
    const cell = get(iso(r.at), String(r.backend ?? '') || NO_BACKEND);
    const n = num(r.requests);
    cell.requests += n;
    const code = String(num(r.status));
    cell.status[code] = (cell.status[code] ?? 0) + n;
    if (r.backendTimeMs !== null && r.backendTimeMs !== undefined) timeSums.set(cell, (timeSums.get(cell) ?? 0) + num(r.backendTimeMs) * n);
    if (typeof r.lastErrorReason === 'string' && r.lastErrorReason !== '') cell.lastErrorReason = r.lastErrorReason;
  }
  for (const [cell, sum] of timeSums) cell.backendTimeMs = Math.round((sum / Math.max(1, cell.requests)) * 10) / 10;
  for (const r of tokens) {
    const cell = get(iso(r.at), String(r.backend ?? '') || NO_BACKEND);
    cell.promptTokens = (cell.promptTokens ?? 0) + num(r.promptTokens);
    cell.completionTokens = (cell.completionTokens ?? 0) + num(r.completionTokens);
  }
  return [...byAt.values()].sort((a, b) => a.at.localeCompare(b.at));
}

export interface InferredOpening {
  backend: string;
  pool: string;
  /** The first bucket without traffic. */
  at: string;
  /** The first bucket with traffic again; null while it lasts. */
  until: string | null;
  evidence: string;
}

const failing = (b: BackendBucket | undefined) => (b ? Object.entries(b.status).reduce((n, [code, c]) => n + (code === '429' || code.startsWith('5') ? c : 0), 0) : 0);

/**
 * An inferred breaker opening: a pool member that answered 429 or 5xx in one bucket and then got no traffic while
 * other members of its pool did (docs/apim-fidelity.md F-OBS-4). An inference from logs, never a reading of the
 * breaker: APIM has no API for breaker state.
 */
export function inferOpenings(buckets: DeployedBucket[], ws: Workspace): InferredOpening[] {
  const out: InferredOpening[] = [];
  for (const [pool, p] of Object.entries(ws.pools ?? {})) {
    const members = p.services.map((m) => m.backend);
    for (const m of members) {
      let open: InferredOpening | undefined;
      for (let i = 1; i < buckets.length; i++) {
        const prev = buckets[i - 1]!.backends[m];
        const cur = buckets[i]!.backends[m];
        const othersServed = members.some((o) => o !== m && (buckets[i]!.backends[o]?.requests ?? 0) > 0);
        if (!open && failing(prev) > 0 && (cur?.requests ?? 0) === 0 && othersServed) {
          open = { backend: m, pool, at: buckets[i]!.at, until: null, evidence: `${failing(prev)} × 429/5xx at ${buckets[i - 1]!.at}, then no traffic while the pool served` };
          out.push(open);
        } else if (open && (cur?.requests ?? 0) > 0) {
          open.until = buckets[i]!.at;
          open = undefined;
        }
      }
    }
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}
