/*
 * The Log Analytics queries Breakerboard runs against a deployed APIM (documented in docs/apim-fidelity.md, "The
 * deployed service"). They read the resource-specific tables that diagnostic settings with
 * `logAnalyticsDestinationType: Dedicated` fill: ApiManagementGatewayLogs (one row per request: BackendId,
 * BackendResponseCode, ResponseCode, BackendTime, LastErrorReason) and ApiManagementGatewayLlmLog (tokens, joined on
 * CorrelationId). The time range goes in the request's `timespan`, so the text only bins and sums. Each query starts
 * with a `// breakerboard:<kind>` comment: KQL ignores it; it names the query in logs (and for the test fake).
 */

export type QueryKind = 'traffic' | 'tokens' | 'delay';

/** KQL string literal (single quotes; backslash and quote escaped). */
export const kqlString = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Rows of the service only: a workspace often collects several services' logs. */
const serviceFilter = (serviceResourceId?: string) => (serviceResourceId ? [`| where _ResourceId =~ ${kqlString(serviceResourceId)}`] : []);

/**
 * Requests per bucket, backend and status. `BackendId` is empty when APIM answered without calling a backend (e.g.
 * 503 while every breaker is open): those rows keep `ResponseCode` as their status. Columns:
 * at (datetime), backend (string), status (int), requests (long), backendTimeMs (real), lastErrorReason (string).
 */
export function trafficQuery(bucketSeconds: number, serviceResourceId?: string): string {
  return [
    '// breakerboard:traffic',
    'ApiManagementGatewayLogs',
    ...serviceFilter(serviceResourceId),
    '| extend backend = tostring(BackendId), status = iff(isempty(BackendId), toint(ResponseCode), toint(BackendResponseCode))',
    `| summarize requests = count(), backendTimeMs = avg(BackendTime), lastErrorReason = take_any(LastErrorReason) by at = bin(TimeGenerated, ${bucketSeconds}s), backend, status`,
    '| order by at asc',
  ].join('\n');
}

/** Tokens per bucket and backend (ApiManagementGatewayLlmLog has no BackendId: joined on CorrelationId). */
export function tokensQuery(bucketSeconds: number, serviceResourceId?: string): string {
  return [
    '// breakerboard:tokens',
    'ApiManagementGatewayLlmLog',
    ...serviceFilter(serviceResourceId),
    '| join kind=inner (ApiManagementGatewayLogs | project CorrelationId, BackendId) on CorrelationId',
    `| summarize promptTokens = sum(PromptTokens), completionTokens = sum(CompletionTokens) by at = bin(TimeGenerated, ${bucketSeconds}s), backend = tostring(BackendId)`,
    '| order by at asc',
  ].join('\n');
}

/**
 * The ingestion delay, measured rather than assumed: the 90th percentile of `ingestion_time() - TimeGenerated` over
 * the range, and the newest row. Columns: delaySeconds (real), newest (datetime).
 */
export function delayQuery(serviceResourceId?: string): string {
  return [
    '// breakerboard:delay',
    'ApiManagementGatewayLogs',
    ...serviceFilter(serviceResourceId),
    '| summarize delaySeconds = percentile(todouble((ingestion_time() - TimeGenerated) / 1s), 90), newest = max(TimeGenerated)',
  ].join('\n');
}

/** Buckets of about 30 points over the range, in whole, round seconds (10 s at least). */
export function bucketSecondsFor(sinceSeconds: number): number {
  const raw = sinceSeconds / 30;
  const nice = [10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
  return nice.find((n) => n >= raw) ?? 3600;
}
