import type { GatewayStatus } from '../../shared/monitor';
import { WINDOW_SECONDS } from './backend-meter';
import type { GatewayEngine } from './engine';
import { isoClamped } from './long-timer';

/** The `/_breakerboard/status` document (DESIGN §3) from the engine's current state. */
export function buildStatus(engine: GatewayEngine): GatewayStatus {
  const now = engine.now();
  const router = engine.router;
  const table = router.table;
  const backends: GatewayStatus['backends'] = {};
  for (const [id, b] of table.backends) {
    const breaker = router.breakers.get(id)!;
    const meter = engine.meters.get(id)!;
    const open = breaker.isOpen(now);
    const w = meter.windowView();
    backends[id] = {
      state: open ? 'open' : 'closed',
      openUntil: open ? isoClamped(breaker.openUntil) : null,
      reason: open ? breaker.reason : null,
      url: b.url,
      rule: b.rule?.name ?? null,
      requests: w.requests,
      failures: w.failures,
      byStatus: w.byStatus,
      failuresByReason: w.failuresByReason,
      latencyMs: meter.latency.summary(),
      tokens: w.tokens,
      inFlight: meter.inFlight,
      breakerWindow: breaker.windowCounts(now),
      total: { requests: meter.total.requests, failures: meter.total.failures },
    };
  }
  const pools: GatewayStatus['pools'] = {};
  for (const t of table.targets.values()) {
    if (t.kind !== 'pool') continue;
    pools[t.id] = {
      members: t.members.map((m) => ({ backend: m.backend, priority: m.priority ?? null, weight: m.weight ?? null, state: backends[m.backend]?.state ?? 'closed' })),
    };
  }
  const apis: GatewayStatus['apis'] = {};
  for (const a of table.apis) apis[a.id] = { path: a.prefix.slice(1), backend: a.target.id, retry: a.retryCount > 0 ? { count: a.retryCount, on: [...a.retryOn] } : null };
  return {
    startedAt: isoClamped(engine.startedAt),
    at: isoClamped(now),
    windowSeconds: WINDOW_SECONDS,
    backends,
    pools,
    apis,
    gatewayErrors: Object.fromEntries(engine.gatewayErrorsTotal),
    warnings: [...engine.credentials.problems],
    carbonEmission: router.carbon.view(),
    regions: regionsOf(table.backends.values()),
  };
}

function regionsOf(backends: Iterable<{ id: string; region?: string }>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const b of backends) if (b.region !== undefined) (out[b.region] ??= []).push(b.id);
  return out;
}
