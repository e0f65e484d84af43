import type { Workspace } from '../model/schema';

/*
 * What each simulated backend can take, DESIGN §6: the `simulation:` profile's budgets when it has them, else the
 * capacity discovery recorded (`capacity:`). A PTU deployment reports PTUs, not tokens per minute: without a
 * `tokensPerMinute` it is planned as unlimited and said so, rather than guessed from a model-specific table.
 */

export interface BackendBudget {
  tokensPerMinute?: number;
  requestsPerMinute?: number;
  latencyMs: { p50: number; p99: number };
  source: 'simulation' | 'capacity' | 'none';
}

/** The simulator's default answer time (main/simulator/profile.ts DEFAULT_PROFILE), for backends without a profile. */
export const DEFAULT_LATENCY_MS = { p50: 200, p99: 800 } as const;

export function budgetOf(ws: Workspace, id: string): BackendBudget {
  const sim = ws.simulation?.[id];
  const cap = ws.backends[id]?.capacity;
  const latencyMs = sim?.latencyMs ?? { ...DEFAULT_LATENCY_MS };
  if (sim && (sim.tokensPerMinute !== undefined || sim.requestsPerMinute !== undefined)) {
    return { tokensPerMinute: sim.tokensPerMinute, requestsPerMinute: sim.requestsPerMinute, latencyMs, source: 'simulation' };
  }
  if (cap && (cap.tokensPerMinute !== undefined || cap.requestsPerMinute !== undefined)) {
    return { tokensPerMinute: cap.tokensPerMinute, requestsPerMinute: cap.requestsPerMinute, latencyMs, source: 'capacity' };
  }
  return { latencyMs, source: 'none' };
}
