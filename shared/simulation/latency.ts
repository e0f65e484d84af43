import { normal, type Random } from './prng';

/** The 99th percentile of the standard normal distribution. */
const Z99 = 2.326347874;

export interface LatencyProfile {
  p50: number;
  p99: number;
}

/**
 * Model latencies are right-skewed: most answers near the median, a long tail. A log-normal fitted so that its
 * median is p50 and its 99th percentile is p99 reproduces both numbers a user reads off APIM analytics.
 * Draws are capped at 4 × p99 so one unlucky sample cannot stall a short test.
 */
export function latencySampler(profile: LatencyProfile, random: Random): () => number {
  const { p50, p99 } = profile;
  if (p50 <= 0) return () => 0;
  if (p99 <= p50) return () => p50;
  const mu = Math.log(p50);
  const sigma = (Math.log(p99) - mu) / Z99;
  const cap = 4 * p99;
  return () => Math.min(cap, Math.exp(mu + sigma * normal(random)));
}
