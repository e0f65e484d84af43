import type { SimulationProfile } from '../../shared/model';

/** A simulation profile with every default filled in. Unset budgets are unlimited. */
export interface ResolvedProfile {
  tokensPerMinute?: number;
  requestsPerMinute?: number;
  latencyMs: { p50: number; p99: number };
  tokensPerSecond: number;
  completionTokens: number;
  seed?: number;
}

/*
 * Defaults: a backend without a profile answers like a small pay-as-you-go deployment without a quota in sight.
 * Unlike Azure (6 RPM per 1000 TPM), requestsPerMinute is unlimited unless set: the demo's 30 000 TPM would
 * otherwise allow 180 requests a minute and every drill would be about RPM instead of the fault it injects.
 */
export const DEFAULT_PROFILE: ResolvedProfile = {
  latencyMs: { p50: 200, p99: 800 },
  tokensPerSecond: 50,
  completionTokens: 16,
};

export function resolveProfile(p: SimulationProfile | undefined): ResolvedProfile {
  return {
    tokensPerMinute: p?.tokensPerMinute,
    requestsPerMinute: p?.requestsPerMinute,
    latencyMs: p?.latencyMs ?? DEFAULT_PROFILE.latencyMs,
    tokensPerSecond: p?.tokensPerSecond ?? DEFAULT_PROFILE.tokensPerSecond,
    completionTokens: p?.completionTokens ?? DEFAULT_PROFILE.completionTokens,
    seed: p?.seed,
  };
}
