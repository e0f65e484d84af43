import type { TokenCredential } from '@azure/core-auth';
import { LogsQueryClient, type LogsTable } from '@azure/monitor-query-logs';
import { bearerTokenAuthenticationPolicyName } from '@azure/core-rest-pipeline';
import { checkEndpoint, headerAuthPolicy } from '../client';
import { ApimError } from '../errors';

/*
 * Log Analytics queries through @azure/monitor-query-logs. `endpoint` defaults to the public cloud's
 * `https://api.loganalytics.io/v1`; tests and sovereign clouds pass theirs. As for ARM, plain http is accepted for
 * loopback only, with our own bearer policy (the SDK's refuses non-TLS URLs).
 */

export const DEFAULT_LOGS_ENDPOINT = 'https://api.loganalytics.io/v1';
const PUBLIC_AUDIENCE = 'https://api.loganalytics.io';

/**
 * The token scope for a Log Analytics endpoint: each cloud's API host is its audience (the SDK's
 * KnownMonitorLogsQueryAudience: api.loganalytics.io, api.loganalytics.us, api.loganalytics.azure.cn). The public
 * cloud's newer host api.loganalytics.azure.com, and loopback emulators, use the public audience.
 * Passed as `credentials.scopes`: @azure/monitor-query-logs 1.0.0 declares an `audience` option but never reads it,
 * so without this a sovereign cloud's query would carry a public-cloud token and be refused.
 */
export function logsScope(url: URL): string {
  const host = url.hostname.toLowerCase();
  const own = url.protocol === 'https:' && host !== 'api.loganalytics.azure.com';
  return `${own ? url.origin : PUBLIC_AUDIENCE}/.default`;
}

export type Row = Record<string, unknown>;

export interface LogsReader {
  query(workspaceId: string, kql: string, since: { startTime: Date; endTime: Date }): Promise<Row[]>;
}

/** Table rows as objects keyed by column name. */
export function rowsOf(table: LogsTable): Row[] {
  const names = table.columnDescriptors.map((c) => c.name ?? '');
  return table.rows.map((r) => Object.fromEntries(names.map((n, i) => [n, r[i]])));
}

export function createLogsReader(credential: TokenCredential, endpoint = DEFAULT_LOGS_ENDPOINT): LogsReader {
  const url = checkEndpoint(endpoint);
  const insecure = url.protocol === 'http:';
  const scope = logsScope(url);
  const client = new LogsQueryClient(credential, {
    endpoint: url.origin + url.pathname.replace(/\/$/, ''),
    allowInsecureConnection: insecure,
    retryOptions: { maxRetries: 1 },
    credentials: { scopes: [scope] },
  });
  if (insecure) {
    client.pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
    client.pipeline.addPolicy(headerAuthPolicy(credential, scope), { phase: 'Sign' });
  }
  return {
    async query(workspaceId, kql, since) {
      let result;
      try {
        result = await client.queryWorkspace(workspaceId, kql, since, { serverTimeoutInSeconds: 60 });
      } catch (e) {
        const err = e as { statusCode?: number; message?: string; code?: string };
        const status = err.statusCode ? ` (HTTP ${err.statusCode})` : '';
        const hint = err.statusCode === 403 ? ': your sign-in needs the Log Analytics Reader role on the workspace' : err.statusCode === 404 ? ': no such Log Analytics workspace (check --workspace-id, the workspace GUID)' : '';
        throw new ApimError(`Log Analytics query failed${status}${hint}: ${(err.message ?? String(e)).split('\n')[0]}`, 'input');
      }
      const tables = result.status === 'Success' ? result.tables : result.partialTables;
      return tables[0] ? rowsOf(tables[0]) : [];
    },
  };
}
