import type { TokenCredential } from '@azure/core-auth';
import { MonitorClient, type DiagnosticSettingsResource } from '@azure/arm-monitor';
import { bearerTokenAuthenticationPolicyName } from '@azure/core-rest-pipeline';
import { armScope, checkEndpoint, headerAuthPolicy, type ApimTarget, type ArmConnection } from '../client';
import { describeArmError, ApimError } from '../errors';

/*
 * Which Log Analytics workspace holds the service's gateway logs: the service's diagnostic settings
 * (@azure/arm-monitor), then the workspace's GUID (`customerId`, what the query API takes) from its ARM resource.
 * The resource-specific table ApiManagementGatewayLogs exists only with `logAnalyticsDestinationType: Dedicated`;
 * the legacy AzureDiagnostics mode is reported, not guessed around.
 */

export const WORKSPACE_API_VERSION = '2022-10-01';

export interface LogsDestination {
  /** The diagnostic setting's name. */
  setting: string;
  /** ARM id of the Log Analytics workspace. */
  workspaceResourceId: string;
  /** The workspace GUID the query API takes. */
  workspaceId: string;
}

export type Discovery = { ok: true; destination: LogsDestination } | { ok: false; reason: string; howTo: string };

export const serviceResourceId = (t: ApimTarget) => `/subscriptions/${t.subscription}/resourceGroups/${t.resourceGroup}/providers/Microsoft.ApiManagement/service/${t.service}`;

export const ENABLE_HOW_TO =
  'add a diagnostic setting on the APIM service that sends the GatewayLogs category (and GatewayLlmLogs for tokens) to a Log Analytics workspace with destination table "Resource specific": `breakerboard export <ws> --format observability-bicep` writes the Bicep for it';

/** Whether a setting sends gateway logs into resource-specific tables. */
function gatewayLogsTo(s: DiagnosticSettingsResource): 'dedicated' | 'legacy' | 'none' {
  if (!s.workspaceId) return 'none';
  const logs = s.logs ?? [];
  // api-version 2017-05-01-preview (what @azure/arm-monitor 7 speaks) does not model category groups: an enabled
  // entry without a category is a group such as allLogs, taken to include GatewayLogs (F-OBS-3).
  const sends = logs.some((l) => l.enabled && (l.category === 'GatewayLogs' || !l.category));
  if (!sends) return 'none';
  return s.logAnalyticsDestinationType === 'Dedicated' ? 'dedicated' : 'legacy';
}

/** A MonitorClient on the same endpoint rules as the APIM client (loopback http for tests). */
export function monitorClient(credential: TokenCredential, subscription: string, endpoint: string): MonitorClient {
  const url = checkEndpoint(endpoint);
  const insecure = url.protocol === 'http:';
  const scope = armScope(url);
  const client = new MonitorClient(credential, subscription, { endpoint: url.origin, credentialScopes: [scope], allowInsecureConnection: insecure, retryOptions: { maxRetries: 1 } });
  if (insecure) {
    client.pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
    client.pipeline.addPolicy(headerAuthPolicy(credential, scope), { phase: 'Sign' });
  }
  return client;
}

export async function discoverLogsDestination(monitor: MonitorClient, arm: ArmConnection, target: ApimTarget): Promise<Discovery> {
  let settings: DiagnosticSettingsResource[];
  try {
    // Without the leading "/": the SDK joins `/{resourceUri}` and a "//subscriptions" would read as a host name.
    settings = (await monitor.diagnosticSettings.list(serviceResourceId(target).replace(/^\/+/, ''))).value ?? [];
  } catch (e) {
    throw describeArmError(e, `reading the diagnostic settings of ${target.service}`, arm.endpoint);
  }
  const dedicated = settings.find((s) => gatewayLogsTo(s) === 'dedicated');
  if (!dedicated) {
    const legacy = settings.find((s) => gatewayLogsTo(s) === 'legacy');
    if (legacy) {
      return { ok: false, reason: `diagnostic setting "${legacy.name}" sends gateway logs to the AzureDiagnostics table, not ApiManagementGatewayLogs`, howTo: 'set its destination table to "Resource specific" (logAnalyticsDestinationType: Dedicated)' };
    }
    return { ok: false, reason: `${target.service} sends no gateway logs to Log Analytics (no diagnostic setting with GatewayLogs)`, howTo: ENABLE_HOW_TO };
  }
  const ws = (await arm.getJson(`${dedicated.workspaceId}?api-version=${WORKSPACE_API_VERSION}`, 'reading the Log Analytics workspace')) as { properties?: { customerId?: string } } | undefined;
  const workspaceId = ws?.properties?.customerId;
  if (!workspaceId) throw new ApimError(`the Log Analytics workspace ${dedicated.workspaceId} has no customerId (workspace GUID)`, 'input');
  return { ok: true, destination: { setting: dedicated.name ?? '', workspaceResourceId: dedicated.workspaceId!, workspaceId } };
}
