import type { Workspace } from '../../../shared/model';
import type { Drill } from '../../../shared/simulation/drill-file';
import type { DrillReport } from '../drill-report';
import { runDrill, type StartGateway, type StartSimulators } from '../drill-runner';
import { compareReports, type Difference } from './differences';
import { runAgainst, type AgainstOptions, type ObservedReport } from './run-against';

export { compareReports, ERROR_THRESHOLD, SHARE_THRESHOLD, type Difference } from './differences';
export { describeEstimate, planAgainst, tokensPerRequest, type AgainstPlan, type QuotaBurst } from './quota-drive';
export { deployedTarget, runAgainst, type AgainstOptions, type ObservedReport } from './run-against';
export { normalizeRegion, servedByEvidence, UNKNOWN, type ServedByEvidence } from './served-by';

/*
 * `drill --against`: the same drill observed on the deployed service and predicted by the local engine (simulated
 * backends, the workspace's configuration, at speed), side by side, with the differences flagged (DESIGN §6 JSON:
 * `{ observed, predicted, differences }`). The prediction keeps a throttle step as a simulated throttle: that is
 * what driving the real backend past its quota is meant to cause.
 */

export interface SideBySide {
  observed: ObservedReport;
  predicted: DrillReport;
  differences: Difference[];
}

export interface SideBySideOptions extends AgainstOptions {
  /** Speed of the prediction (default 10). */
  predictSpeed?: number;
  startGateway: StartGateway;
  startSimulators: StartSimulators;
}

export async function predictDrill(o: { workspace: Workspace; drill: Drill; speed: number; startGateway: StartGateway; startSimulators: StartSimulators; signal?: AbortSignal }): Promise<DrillReport> {
  // In virtual time: the prediction is the same however busy this machine is while the real run is compared to it.
  return runDrill({ workspace: o.workspace, drill: o.drill, speed: o.speed, startGateway: o.startGateway, startSimulators: o.startSimulators, signal: o.signal, virtualTime: true });
}

export async function drillSideBySide(o: SideBySideOptions): Promise<SideBySide> {
  // The prediction first: it is quick, and a broken local setup should not cost a real run.
  const predicted = await predictDrill({ workspace: o.workspace, drill: o.drill, speed: o.predictSpeed ?? 10, startGateway: o.startGateway, startSimulators: o.startSimulators, signal: o.signal });
  const observed = await runAgainst(o);
  return { observed, predicted, differences: compareReports(observed, predicted) };
}
