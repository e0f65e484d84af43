import { loadRecordedTables, startLogAnalyticsEmulator, type LogAnalyticsEmulator } from '../log-analytics-emulator';
import { startArmEmulator, type ArmEmulator } from '../arm-emulator';
import { RG, SUB, SVC, TOKEN } from '../arm-emulator/fixtures';
import { startDeployedArm, type ApimSubscriptionSeed, type DeployedArm, type DiagnosticSettingSeed } from './arm-additions';

export { startDeployedArm, type ApimSubscriptionSeed, type DeployedArm, type DiagnosticSettingSeed } from './arm-additions';
export { startApimFront, APIM_MISSING_KEY, APIM_INVALID_KEY, type ApimFront, type ApimFrontOptions } from './apim-front';

/*
 * The deployed service's stand-ins together: the APIM ARM emulator, the ARM additions (diagnostic settings, the
 * Log Analytics workspace, APIM subscriptions and keys) and the Log Analytics query API with the demo recording.
 */

export const SERVICE_ID = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ApiManagement/service/${SVC}`;
export const LOG_WORKSPACE_ID = '9d3c1a5e-0b4f-4a57-9c57-1b2f0c6a7e11';
export const LOG_WORKSPACE_RESOURCE = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.OperationalInsights/workspaces/law-ai`;
export const SUBSCRIPTION_KEY = 'k3y-0f-the-demo-subscription-000000';
export const RECORDING_END = '2026-11-25T10:15:00.000Z';

export interface DeployedFixture {
  arm: ArmEmulator;
  front: DeployedArm;
  logs: LogAnalyticsEmulator;
  /** The ARM endpoint to pass as --endpoint. */
  endpoint: string;
  close(): Promise<void>;
}

export async function startDeployedFixture(opts: { settings?: DiagnosticSettingSeed[]; subscriptions?: ApimSubscriptionSeed[]; newestAt?: number } = {}): Promise<DeployedFixture> {
  const arm = await startArmEmulator({ token: TOKEN, seed: { subscription: SUB, resourceGroup: RG, service: SVC } });
  const settings = opts.settings ?? [{ name: 'to-law', workspaceResourceId: LOG_WORKSPACE_RESOURCE, categories: ['GatewayLogs', 'GatewayLlmLogs'], destinationType: 'Dedicated' }];
  const subscriptions = opts.subscriptions ?? [{ sid: 'demo-sub', displayName: 'Demo subscription', scope: '/apis/azure-openai', primaryKey: SUBSCRIPTION_KEY, secondaryKey: 'second-key-never-used-0000000000' }];
  const front = await startDeployedArm({ arm, diagnosticSettings: { [SERVICE_ID]: settings }, logWorkspaces: { [LOG_WORKSPACE_RESOURCE]: LOG_WORKSPACE_ID }, subscriptions: { [SERVICE_ID]: subscriptions } });
  const logs = await startLogAnalyticsEmulator({ token: TOKEN, newestAt: opts.newestAt, workspaces: { [LOG_WORKSPACE_ID]: loadRecordedTables(new URL('../log-analytics-emulator/demo-recording.json', import.meta.url)) } });
  return {
    arm,
    front,
    logs,
    endpoint: front.url,
    close: async () => {
      await logs.close();
      await front.close();
      await arm.close();
    },
  };
}
