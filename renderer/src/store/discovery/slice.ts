import { profileFromDeployed, type DeployedProfile } from '../../../../shared/capacity/deployed-profile';
import type { CapacityPlan, DiscoveryResult } from '../../../../shared/contract/discovery';
import type { SliceContext } from '../types';

/*
 * Discovery and the capacity planner (issue 17): a cache of the main side's answers. The planner runs on the main
 * side (a sweep of an hour per factor takes a moment), so the window stays responsive.
 */

export interface PlanRequest {
  rpm: number;
  tokensPerRequest: number;
  durationSeconds: number;
  factors: number[];
}

export interface DiscoveryView {
  result: DiscoveryResult | null;
  discovering: boolean;
  error: string | null;
  plan: CapacityPlan | null;
  planning: boolean;
  planError: string | null;
}

export interface DiscoverySlice {
  discovery: DiscoveryView;
  discover(subscriptions?: string[]): Promise<void>;
  planCapacity(request: PlanRequest): Promise<void>;
  /** The deployed service's observed profile over its last 15 min (like `capacity --from-deployed`), or why not. */
  observeDeployed(): Promise<DeployedProfile | string>;
}

export const discoveryInitialState: DiscoveryView = { result: null, discovering: false, error: null, plan: null, planning: false, planError: null };

const message = (e: unknown) => (e as Error)?.message ?? String(e);

export function createDiscoverySlice(ctx: SliceContext): DiscoverySlice {
  const patch = (p: Partial<DiscoveryView>) => ctx.set({ discovery: { ...ctx.get().discovery, ...p } });
  return {
    discovery: discoveryInitialState,
    async discover(subscriptions) {
      patch({ discovering: true, error: null });
      try {
        const result = await ctx.api.discovery.discover(subscriptions ? { subscriptions } : {});
        patch({ result, discovering: false });
      } catch (e) {
        patch({ discovering: false, error: message(e) });
      }
    },
    async planCapacity(request) {
      patch({ planning: true, planError: null });
      try {
        const workspace = ctx.get().workspace.value ?? undefined;
        const plan = await ctx.api.discovery.plan({ ...request, ...(workspace ? { workspace } : {}) });
        patch({ plan, planning: false });
      } catch (e) {
        patch({ planning: false, planError: message(e) });
      }
    },
    async observeDeployed() {
      // The Monitor's deployed options (a workspace id typed there) apply here too.
      const workspaceId = ctx.get().deployed.workspaceId.trim();
      try {
        const reading = await ctx.api.deployed.monitor({ sinceSeconds: 900, ...(workspaceId ? { workspaceId } : {}) });
        if (!reading.available || !reading.report) return `${reading.reason ?? 'no reading of the deployed service'}${reading.howTo ? ` (to enable it: ${reading.howTo})` : ''}`;
        return profileFromDeployed(reading.report);
      } catch (e) {
        return message(e);
      }
    },
  };
}
