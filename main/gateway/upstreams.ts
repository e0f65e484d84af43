import { Pool } from 'undici';
import { basePath, type RouteTable } from '../../shared/semantics';

/** One keep-alive connection pool per backend origin, and the path prefix requests are appended to. */
export interface Upstream {
  key: string;
  pool: Pool;
  basePath: string;
}

/**
 * Idle connections are kept this long (undici's default; shorter still when the backend's Keep-Alive header says
 * so). Short on purpose: a POST sent on a connection the backend has just closed fails with no response, which B4
 * counts as a breaker failure, so a stale socket must not outlive the backend's own idle timeout.
 */
const KEEP_ALIVE_MS = 4_000;

/**
 * Upstreams for a route table, reusing `previous` pools whose origin and connect timeout did not change; the
 * pools no longer used are closed gracefully (in-flight requests finish).
 */
export function buildUpstreams(table: RouteTable, previous?: ReadonlyMap<string, Upstream>): Map<string, Upstream> {
  const byKey = new Map<string, Upstream>();
  for (const u of previous?.values() ?? []) byKey.set(u.key, u);
  const out = new Map<string, Upstream>();
  for (const b of table.backends.values()) {
    const url = new URL(b.url);
    const key = `${url.origin}|${table.limits.connectMs}`;
    let pool = byKey.get(key)?.pool;
    if (!pool) {
      pool = new Pool(url.origin, {
        pipelining: 1,
        keepAliveTimeout: KEEP_ALIVE_MS,
        connect: { timeout: table.limits.connectMs },
        headersTimeout: table.limits.responseMs,
        bodyTimeout: table.limits.responseMs,
      });
      byKey.set(key, { key, pool, basePath: '' });
    }
    out.set(b.id, { key, pool, basePath: basePath(b.url) });
  }
  if (previous) {
    const used = new Set([...out.values()].map((u) => u.pool));
    for (const u of new Set([...previous.values()].map((p) => p.pool))) if (!used.has(u)) void u.close().catch(() => undefined);
  }
  return out;
}

export async function closeUpstreams(upstreams: ReadonlyMap<string, Upstream>, force: boolean): Promise<void> {
  const pools = new Set([...upstreams.values()].map((u) => u.pool));
  await Promise.all([...pools].map((p) => (force ? p.destroy() : p.close()).catch(() => undefined)));
}
