/*
 * A traffic profile from the deployed service's Log Analytics gateway logs (the `monitor --deployed` reading):
 * requests per minute over the complete part of the range, and tokens per answered request from
 * ApiManagementGatewayLlmLog. Each ApiManagementGatewayLogs row is one client request (APIM's own retries are not
 * separate rows), which is the demand the planner replays through its own retry policy. Rows APIM answered
 * without a backend (503 while every breaker is open) are client requests too, so they count. Buckets that the
 * ingestion delay may still be filling, and a first bucket cut by the range start, are left out rather than
 * counted as quiet minutes.
 */

/** The parts of a deployed monitor reading this needs (structural, so shared/ does not import main/). */
export interface DeployedTraffic {
  from: string;
  incompleteAfter: string;
  bucketSeconds: number;
  buckets: { at: string; backends: Record<string, { requests: number; status: Record<string, number>; promptTokens?: number; completionTokens?: number }> }[];
}

export interface DeployedProfile {
  rpm: number;
  /** null when the logs carry no token counts (no ApiManagementGatewayLlmLog rows). */
  tokensPerRequest: number | null;
  /** Minutes of complete buckets the numbers come from, and their range. */
  minutes: number;
  from: string;
  to: string;
}

export const NO_TOKENS_MESSAGE =
  'the gateway logs have no token counts (ApiManagementGatewayLlmLog is empty: the diagnostic setting needs the GatewayLlmLogs category, see `export --format observability-bicep`): give --tokens-per-request';

export function profileFromDeployed(r: DeployedTraffic): DeployedProfile | string {
  const bucketMs = r.bucketSeconds * 1000;
  const start = Math.ceil(Date.parse(r.from) / bucketMs) * bucketMs;
  const end = Math.floor(Date.parse(r.incompleteAfter) / bucketMs) * bucketMs;
  const minutes = (end - start) / 60_000;
  if (!(minutes > 0)) return `the range holds no complete bucket once the ingestion delay is left out (logs after ${r.incompleteAfter} may still be filling): give a longer --since`;
  let requests = 0;
  let answered = 0;
  let tokens = 0;
  for (const b of r.buckets) {
    const at = Date.parse(b.at);
    if (at < start || at >= end) continue;
    for (const c of Object.values(b.backends)) {
      requests += c.requests;
      for (const [code, n] of Object.entries(c.status)) if (/^2\d\d$/.test(code)) answered += n;
      tokens += (c.promptTokens ?? 0) + (c.completionTokens ?? 0);
    }
  }
  if (requests === 0) return 'the gateway logs hold no requests in this range: widen --since, or give --rpm and --tokens-per-request';
  return {
    rpm: Math.round((requests / minutes) * 100) / 100,
    tokensPerRequest: answered > 0 && tokens > 0 ? Math.max(1, Math.round(tokens / answered)) : null,
    minutes: Math.round(minutes * 100) / 100,
    from: new Date(start).toISOString(),
    to: new Date(end).toISOString(),
  };
}
