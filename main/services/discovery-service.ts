import { planContext, runSweep } from '../../shared/capacity';
import { ContractError, type CapacityPlan, type DiscoveryService } from '../../shared/contract';
import { validateWorkspace } from '../../shared/model';
import type { RetrySettings } from '../apim/client';
import { discoverAccounts } from '../openai-accounts';
import { toContractError, type ApimServiceImpl } from './apim-service';

/*
 * Discovery and the capacity planner for the Discovery screen (issue 17). Discovery uses the Deploy screen's
 * sign-in (same account, same ARM endpoint); the planner runs here so a long sweep never blocks the window.
 */

export interface DiscoveryServiceDeps {
  apim: Pick<ApimServiceImpl, 'armSession'>;
  workspace: { value(): Record<string, unknown> };
  retry?: RetrySettings;
  now?: () => number;
}

export function createDiscoveryService(deps: DiscoveryServiceDeps): DiscoveryService {
  const now = deps.now ?? (() => performance.now());
  return {
    discover: async (input) => {
      const session = deps.apim.armSession();
      if (!session) throw new ContractError('unavailable', 'not signed in to Azure: sign in on the Deploy screen first');
      try {
        return await discoverAccounts({ credential: session.credential, endpoint: session.endpoint, subscriptions: input.subscriptions, retry: deps.retry });
      } catch (e) {
        throw toContractError(e);
      }
    },
    plan: async (input) => {
      const v = validateWorkspace(input.workspace ?? deps.workspace.value());
      if (!v.ok) throw new ContractError('bad-request', `the workspace has errors; fix them first (${v.errors[0]!.path}: ${v.errors[0]!.message})`, v.errors[0]!.path);
      const ctx = planContext(v.workspace, input.api);
      if (typeof ctx === 'string') throw new ContractError('bad-request', ctx, ctx.split(':')[0]);
      const profile = { rpm: input.rpm, tokensPerRequest: input.tokensPerRequest, durationMs: input.durationSeconds * 1000, api: input.api };
      let sweep;
      try {
        sweep = runSweep(v.workspace, profile, input.factors, now);
      } catch (e) {
        throw new ContractError('bad-request', (e as Error).message, 'durationSeconds');
      }
      const plan: CapacityPlan = { ...sweep, target: ctx.target, unlimited: ctx.unlimited };
      return plan;
    },
  };
}
