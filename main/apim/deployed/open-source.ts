import type { TokenCredential } from '@azure/core-auth';
import type { Workspace } from '../../../shared/model';
import { connect, type ApimTarget } from '../client';
import { ApimError } from '../errors';
import { readBreakerEvents, STORAGE_SCOPE, type FetchLike } from './breaker-events';
import { readDeployedMonitor, type DeployedMonitorReport } from './deployed-monitor';
import { discoverLogsDestination, monitorClient, serviceResourceId } from './diagnostic-settings';
import { createLogsReader, type LogsReader } from './log-analytics';

/*
 * The deployed service as a monitor source, shared by `monitor --deployed` and the app: the Log Analytics workspace
 * from --workspace-id or from the service's diagnostic settings, then readings on demand.
 */

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export interface DeployedSourceOptions {
  credential: TokenCredential;
  workspace: Workspace;
  /** The APIM service (needed for discovery; also narrows the rows to it). */
  target?: ApimTarget & { endpoint: string };
  /** The Log Analytics workspace GUID; overrides discovery. */
  workspaceId?: string;
  logsEndpoint?: string;
  /** The Storage queue the observability Bicep routes breaker events to. */
  eventsQueue?: string;
  now?: () => number;
  fetch?: FetchLike;
  /** Tests: a reader instead of the SDK. */
  logs?: LogsReader;
}

export type DeployedSource =
  | { ok: true; workspaceId: string; discoveredFrom: string | null; read: (sinceSeconds: number) => Promise<DeployedMonitorReport> }
  | { ok: false; reason: string; howTo: string };

export async function openDeployedSource(o: DeployedSourceOptions): Promise<DeployedSource> {
  let workspaceId = o.workspaceId;
  let discoveredFrom: string | null = null;
  if (workspaceId !== undefined && !GUID.test(workspaceId)) throw new ApimError(`--workspace-id: "${workspaceId}" is not a Log Analytics workspace id (a GUID, the workspace's "Workspace ID")`, 'input');
  if (workspaceId === undefined) {
    if (!o.target) throw new ApimError('name the service (--subscription, --resource-group, --service or target: in the workspace) to find its Log Analytics workspace, or pass --workspace-id', 'usage');
    const arm = connect(o.target.subscription, { credential: o.credential, endpoint: o.target.endpoint, retry: { maxRetries: 1 } });
    const found = await discoverLogsDestination(monitorClient(o.credential, o.target.subscription, o.target.endpoint), arm, o.target);
    if (!found.ok) return found;
    workspaceId = found.destination.workspaceId;
    discoveredFrom = `diagnostic setting "${found.destination.setting}" → ${found.destination.workspaceResourceId}`;
  }
  const logs = o.logs ?? createLogsReader(o.credential, o.logsEndpoint);
  const now = o.now ?? (() => Date.now());
  const fetchImpl = o.fetch ?? (globalThis.fetch as unknown as FetchLike);
  const queue = o.eventsQueue;
  const breakerEvents = queue
    ? async () => {
        const token = await o.credential.getToken(STORAGE_SCOPE);
        if (!token) throw new Error('not signed in for Storage: the breaker events queue cannot be read');
        return readBreakerEvents(queue, token.token, fetchImpl);
      }
    : undefined;
  const id = workspaceId;
  return {
    ok: true,
    workspaceId: id,
    discoveredFrom,
    read: (sinceSeconds) =>
      readDeployedMonitor({ logs, workspaceId: id, workspace: o.workspace, sinceSeconds, now, serviceResourceId: o.target ? serviceResourceId(o.target) : undefined, breakerEvents }),
  };
}
