import { tenantSequence, type Drill, type DrillTenants } from '../../shared/simulation/drill-file';
import type { Expectation } from './drill-report';
import type { RequestResult } from './send-one';
import type { LoadTarget } from './target';

/*
 * Tenants in a drill (issue 18): each request carries the tenant header, and the report counts per tenant which
 * requests the gateway itself refused for tokens — 429 (tokens per minute) or 403 (quota) with
 * `x-breakerboard-attempts: 0`, i.e. before any backend was called — apart from a backend's own 429.
 */

export interface TenantCounts {
  requests: number;
  ok: number;
  /** 429 from the token limit (no backend called). */
  tokenLimited: number;
  /** 403 from the token quota (no backend called). */
  quotaExceeded: number;
  /** 429 passed through from a backend. */
  backend429: number;
}

/** A target per request, tenants in proportion to their shares. */
export function tenantTargets(target: LoadTarget, tenants: DrillTenants): () => LoadTarget {
  const next = tenantSequence(tenants.shares);
  const byTenant = new Map(Object.keys(tenants.shares).map((t) => [t, { ...target, headers: { ...target.headers, [tenants.header]: t }, label: t }]));
  return () => byTenant.get(next())!;
}

export function countTenant(counts: Map<string, TenantCounts>, r: RequestResult): void {
  if (r.label === undefined) return;
  let c = counts.get(r.label);
  if (!c) counts.set(r.label, (c = { requests: 0, ok: 0, tokenLimited: 0, quotaExceeded: 0, backend429: 0 }));
  c.requests++;
  const own = r.attempts === 0;
  if (r.status !== undefined && r.status >= 200 && r.status < 300 && !r.error) c.ok++;
  else if (r.status === 429 && own) c.tokenLimited++;
  else if (r.status === 403 && own) c.quotaExceeded++;
  else if (r.status === 429) c.backend429++;
}

/** The report's lines for the tenants (drill-format). */
export function formatTenants(tenants: Record<string, TenantCounts> | undefined): string[] {
  if (!tenants) return [];
  return [
    'tenants (refused by the token limit before any backend / by a backend):',
    ...Object.entries(tenants).map(([t, c]) => `  ${t}: ${c.requests} requests, ${c.ok} ok, ${c.tokenLimited} token-limited (429), ${c.quotaExceeded} over quota (403), ${c.backend429} backend 429`),
  ];
}

/** expect.tokenLimited: `never` — no 429/403 from the token policy; `capped` — at least one 429 from it. */
export function tokenExpectations(drill: Drill, counts: Map<string, TenantCounts>): Expectation[] {
  const e = drill.expect.tokenLimited;
  if (!e) return [];
  const out: Expectation[] = [];
  const of = (t: string) => counts.get(t) ?? { requests: 0, ok: 0, tokenLimited: 0, quotaExceeded: 0, backend429: 0 };
  for (const t of e.never ?? []) {
    const c = of(t);
    const n = c.tokenLimited + c.quotaExceeded;
    out.push({ name: `tokenLimited never ${t}`, expected: 'no 429 or 403 from the token limit', actual: `${n} of ${c.requests} refused by the token limit`, pass: n === 0 && c.requests > 0 });
  }
  for (const t of e.capped ?? []) {
    const c = of(t);
    out.push({ name: `tokenLimited capped ${t}`, expected: 'at least one 429 from the token limit', actual: `${c.tokenLimited} of ${c.requests} refused by the token limit`, pass: c.tokenLimited > 0 });
  }
  return out;
}
