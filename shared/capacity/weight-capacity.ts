import type { Backend, Pool } from '../model/schema';

/*
 * Quota facts where they matter (issue 17): inside one priority lane, the share of traffic a member's weight
 * gives it against the share of the lane's capacity it has. More than 2× apart either way is worth a warning: the
 * member is starved of traffic it could serve, or sent more than its quota and throttled first.
 */

export interface WeightCapacityMismatch {
  /** Member index in the pool. */
  index: number;
  weightShare: number;
  capacityShare: number;
  unit: 'tokens/min' | 'PTU';
}

/** The comparable capacity of each backend (all in tokens per minute, or all in PTUs), or undefined. */
function comparable(backends: (Backend | undefined)[]): { values: number[]; unit: WeightCapacityMismatch['unit'] } | undefined {
  if (backends.every((b) => b?.capacity?.tokensPerMinute !== undefined)) return { values: backends.map((b) => b!.capacity!.tokensPerMinute!), unit: 'tokens/min' };
  if (backends.every((b) => b?.capacity?.ptu !== undefined)) return { values: backends.map((b) => b!.capacity!.ptu!), unit: 'PTU' };
  return undefined;
}

export function weightCapacityMismatches(pool: Pool, backends: Record<string, Backend>, factor = 2): WeightCapacityMismatch[] {
  const lanes = new Map<number, number[]>();
  pool.services.forEach((m, i) => {
    // Standby members (weight 0) take traffic only when the rest of the lane is out: not compared.
    if (m.weight === 0) return;
    const p = m.priority ?? 0;
    lanes.set(p, [...(lanes.get(p) ?? []), i]);
  });
  const out: WeightCapacityMismatch[] = [];
  for (const members of lanes.values()) {
    if (members.length < 2) continue;
    const caps = comparable(members.map((i) => backends[pool.services[i]!.backend]));
    if (!caps) continue;
    // A missing weight counts 1, as the picker counts it (APIM-SEMANTICS B2).
    const weights = members.map((i) => pool.services[i]!.weight ?? 1);
    const wSum = weights.reduce((a, b) => a + b, 0);
    const cSum = caps.values.reduce((a, b) => a + b, 0);
    if (wSum <= 0 || cSum <= 0) continue;
    members.forEach((index, k) => {
      const weightShare = weights[k]! / wSum;
      const capacityShare = caps.values[k]! / cSum;
      const ratio = weightShare / capacityShare;
      if (ratio > factor || ratio < 1 / factor) out.push({ index, weightShare, capacityShare, unit: caps.unit });
    });
  }
  return out;
}

const pct = (x: number) => `${Math.round(x * 100)} %`;

export function describeMismatch(m: WeightCapacityMismatch): string {
  return `the weight gives this member ${pct(m.weightShare)} of its lane's traffic but it has ${pct(m.capacityShare)} of the lane's capacity (${m.unit}): more than 2× apart`;
}
