import type { TokenCredential } from '@azure/core-auth';
import { ContractError, type DeployedDrillDone, type DeployedService } from '../../../shared/contract';
import { validateWorkspace, type Workspace } from '../../../shared/model';
import { checkDrillAgainstWorkspace, parseDrillText } from '../../../shared/simulation/drill-file';
import { describeEstimate, drillSideBySide, planAgainst } from '../../loadgen/against';
import type { StartGateway, StartSimulators } from '../../loadgen';
import { connect, type ArmConnection } from '../client';
import { ApimError } from '../errors';
import { openDeployedSource } from './open-source';
import { listSubscriptionKeys, readSubscriptionKey } from './subscription-keys';

/*
 * The contract's `deployed` service: readings of the deployed service for the Monitor and drills against its
 * gateway for the Simulate screen, on the Deploy screen's sign-in. One drill at a time. Keys stay in this process.
 */

export interface DeployedServiceDeps {
  /** The Deploy screen's session (main/services/apim-service.ts). */
  session: () => { credential: TokenCredential; endpoint: string } | null;
  workspace: { value(): Record<string, unknown> };
  /** Log Analytics query endpoint (sovereign clouds); default the public cloud's. */
  logsEndpoint?: string;
  startGateway: StartGateway;
  startSimulators: StartSimulators;
  emitter: { emit(v: DeployedDrillDone): void; on(l: (v: DeployedDrillDone) => void): () => void };
}

export type DeployedServiceImpl = DeployedService & { dispose(): Promise<void> };

function signedIn(deps: DeployedServiceDeps) {
  const s = deps.session();
  if (!s) throw new ContractError('unavailable', 'not signed in to Azure: sign in on the Deploy screen first');
  return s;
}

function workspaceOf(deps: DeployedServiceDeps): Workspace {
  const r = validateWorkspace(deps.workspace.value());
  if (!r.ok) throw new ContractError('bad-request', `the workspace has errors (${r.errors[0]?.path}: ${r.errors[0]?.message})`);
  return r.workspace;
}

const asContract = (e: unknown) => (e instanceof ContractError ? e : new ContractError(e instanceof ApimError && e.code === 'sign-in' ? 'unavailable' : 'bad-request', (e as Error).message));

export function createDeployedService(deps: DeployedServiceDeps): DeployedServiceImpl {
  let running: { abort: AbortController; done: Promise<void> } | null = null;
  const arm = (subscription: string): ArmConnection => {
    const s = signedIn(deps);
    return connect(subscription, { credential: s.credential, endpoint: s.endpoint, retry: { maxRetries: 1 } });
  };
  return {
    async monitor(input) {
      try {
        const s = signedIn(deps);
        const ws = workspaceOf(deps);
        const t = input.target ?? ws.target;
        const source = await openDeployedSource({
          credential: s.credential,
          workspace: ws,
          target: t ? { subscription: t.subscription, resourceGroup: t.resourceGroup, service: t.service, endpoint: s.endpoint } : undefined,
          workspaceId: input.workspaceId,
          logsEndpoint: deps.logsEndpoint,
          eventsQueue: input.eventsQueue,
        });
        if (!source.ok) return { available: false, report: null, discoveredFrom: null, reason: source.reason, howTo: source.howTo };
        const report = await source.read(input.sinceSeconds);
        return { available: true, report, discoveredFrom: source.discoveredFrom, reason: null, howTo: null };
      } catch (e) {
        if (e instanceof ApimError && e.code === 'usage') return { available: false, report: null, discoveredFrom: null, reason: e.message, howTo: 'set target: in the workspace (or import it from the Deploy screen), or give the Log Analytics workspace id' };
        throw asContract(e);
      }
    },
    async listKeys({ target }) {
      try {
        return { subscriptions: await listSubscriptionKeys(arm(target.subscription), target) };
      } catch (e) {
        throw asContract(e);
      }
    },
    async runDrill(input) {
      if (running) throw new ContractError('unavailable', 'a drill against the deployed service is already running');
      const ws = workspaceOf(deps);
      const parsed = parseDrillText(input.text);
      if (!parsed.ok) throw new ContractError('bad-request', `${parsed.errors[0]!.path}: ${parsed.errors[0]!.message}`, parsed.errors[0]!.path);
      const wrong = checkDrillAgainstWorkspace(parsed.drill, ws);
      if (wrong.length > 0) throw new ContractError('bad-request', `${wrong[0]!.path}: ${wrong[0]!.message}`, wrong[0]!.path);
      const planned = planAgainst(ws, parsed.drill, input.driveQuota === true);
      if (!planned.ok) throw new ContractError('bad-request', `${planned.errors[0]!.path}: ${planned.errors[0]!.message}`, planned.errors[0]!.path);
      const key: string = input.key ?? (await readSubscriptionKey(arm(input.keyFrom!.target.subscription), input.keyFrom!.target, input.keyFrom!.subscription).catch((e: unknown) => Promise.reject(asContract(e))));
      const abort = new AbortController();
      const estimate = planned.plan.bursts.length > 0 ? describeEstimate(planned.plan, parsed.drill) : undefined;
      const done = drillSideBySide({ workspace: ws, drill: parsed.drill, url: input.against, key, plan: planned.plan, predictSpeed: input.speed, startGateway: deps.startGateway, startSimulators: deps.startSimulators, signal: abort.signal })
        .then(
          (r): DeployedDrillDone => ({ observed: r.observed, predicted: r.predicted, differences: r.differences, ...(estimate ? { estimate } : {}) }),
          (e: Error): DeployedDrillDone => ({ error: { message: e.message.split(key).join('(secret)') } }),
        )
        .then((event) => {
          // Free before telling: a listener may start the next drill from its drillDone handler.
          running = null;
          deps.emitter.emit(event);
        });
      running = { abort, done };
      return { started: true };
    },
    onDrillDone: (listener) => deps.emitter.on(listener),
    async dispose() {
      running?.abort.abort();
      await running?.done;
    },
  };
}
