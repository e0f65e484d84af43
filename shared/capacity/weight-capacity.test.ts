import { describe, expect, it } from 'vitest';
import { validateWorkspace } from '../model';
import { weightCapacityMismatches } from './weight-capacity';

const backend = (tpm?: number, ptu?: number) => ({ url: 'https://x.openai.azure.com/openai', ...(tpm || ptu ? { capacity: { sku: ptu ? 'ProvisionedManaged' : 'Standard', ...(tpm ? { tokensPerMinute: tpm } : {}), ...(ptu ? { ptu } : {}) } } : {}) });

function ws(weights: (number | undefined)[], caps: [number | undefined, number | undefined][], priorities?: number[]) {
  const backends = Object.fromEntries(caps.map(([tpm, ptu], i) => [`b${i}`, backend(tpm, ptu)]));
  const services = weights.map((w, i) => ({ backend: `b${i}`, priority: priorities?.[i] ?? 1, ...(w !== undefined ? { weight: w } : {}) }));
  const v = validateWorkspace({ version: 1, backends, pools: { p: { services } } });
  if (!v.ok) throw new Error(JSON.stringify(v.errors));
  return v;
}

describe('weights against capacities (more than 2× apart warns)', () => {
  it('10:1 weights over equal capacities warn at the starved member, with the shares in words', () => {
    const v = ws([10, 1], [[100_000, undefined], [100_000, undefined]]);
    expect(weightCapacityMismatches(v.workspace.pools!.p!, v.workspace.backends).map((m) => m.index)).toEqual([1]);
    expect(v.warnings).toContainEqual({ path: 'pools.p.services[1].weight', message: "the weight gives this member 9 % of its lane's traffic but it has 50 % of the lane's capacity (tokens/min): more than 2× apart" });
  });

  it('weights that follow capacity, a 2× gap, standby and lone members do not warn', () => {
    expect(ws([3, 1], [[300_000, undefined], [100_000, undefined]]).warnings).toEqual([]);
    // 2:1 against 1:1 — shares 67 % vs 50 %: within 2×.
    expect(ws([2, 1], [[100_000, undefined], [100_000, undefined]]).warnings).toEqual([]);
    expect(ws([1, 0], [[100, undefined], [100_000, undefined]]).warnings).toEqual([]);
    expect(ws([1, 1], [[1, undefined], [100_000, undefined]], [1, 2]).warnings).toEqual([]);
  });

  it('compares PTUs when not every member has a token rate; skips mixed or unknown lanes', () => {
    expect(weightCapacityMismatches(ws([1, 1], [[undefined, 100], [undefined, 500]]).workspace.pools!.p!, ws([1, 1], [[undefined, 100], [undefined, 500]]).workspace.backends)).toMatchObject([{ index: 0, unit: 'PTU' }]);
    expect(ws([1, 9], [[100_000, undefined], [undefined, 100]]).warnings).toEqual([]);
    expect(ws([1, 9], [[undefined, undefined], [undefined, undefined]]).warnings).toEqual([]);
  });
});
