import type { CarbonEmissionCategory, RegionEmission } from '../model/schema';

/*
 * Carbon-aware pools (docs/apim-fidelity.md F-ROUTE-7). APIM reads each region's current carbon emission category
 * from Azure; locally it is a rehearsal input: `gateway.carbonEmission` in the workspace, changed at run time by a
 * drill's `carbon` step or `PUT /_breakerboard/carbon/<region>`. Never exported: the deployed service has its own.
 */

/** `West Europe`, `westeurope` and `west-europe` are one region: lower case, letters and digits only. */
export const regionKey = (region: string): string => region.toLowerCase().replace(/[^a-z0-9]/g, '');

const RANK: Record<CarbonEmissionCategory, number> = { VeryLow: 0, Low: 1, Medium: 2, High: 3, VeryHigh: 4 };

/**
 * Whether a member may take traffic in the first pass: the preview spec routes "to regions that have carbon emission
 * less than or equal to the specified category". No preference, or no known emission (`NotAvailable`, or a region
 * nobody gave a value), leaves the member eligible (choice, F-ROUTE-7).
 */
export function withinPreference(preference: CarbonEmissionCategory | undefined, emission: RegionEmission | undefined): boolean {
  if (preference === undefined || emission === undefined || emission === 'NotAvailable') return true;
  return RANK[emission] <= RANK[preference];
}

/**
 * The current emission per region (keys as `regionKey`): the workspace's values, overlaid by what was set at run time.
 * Overrides survive a reload of the workspace, like breaker state (a drill's step is not undone by a file edit);
 * `set(region, null)` drops the override, so the workspace's value (or none) applies again.
 */
export class RegionEmissions {
  private readonly overrides: Map<string, RegionEmission>;

  constructor(
    private readonly base: ReadonlyMap<string, RegionEmission>,
    previous?: RegionEmissions,
  ) {
    this.overrides = new Map(previous?.overrides);
  }

  get(region: string | undefined): RegionEmission | undefined {
    if (region === undefined) return undefined;
    return this.overrides.get(region) ?? this.base.get(region);
  }

  set(region: string, emission: RegionEmission | null): void {
    const key = regionKey(region);
    if (emission === null) this.overrides.delete(key);
    else this.overrides.set(key, emission);
  }

  /** Every region with a value, its value and where it came from. */
  view(): Record<string, { emission: RegionEmission; source: 'workspace' | 'set' }> {
    const out: Record<string, { emission: RegionEmission; source: 'workspace' | 'set' }> = {};
    for (const [k, v] of this.base) out[k] = { emission: v, source: 'workspace' };
    for (const [k, v] of this.overrides) out[k] = { emission: v, source: 'set' };
    return out;
  }
}
