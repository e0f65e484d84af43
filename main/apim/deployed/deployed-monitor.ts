import type { Workspace } from '../../../shared/model';
import type { BreakerEvent } from './breaker-events';
import { bucketsFrom, inferOpenings, type DeployedBucket, type InferredOpening } from './buckets';
import { bucketSecondsFor, delayQuery, tokensQuery, trafficQuery } from './kql';
import type { LogsReader, Row } from './log-analytics';

/*
 * One reading of the deployed service for `monitor --deployed` and the Monitor's "Deployed service" source: per
 * backend traffic from the gateway logs, tokens from the LLM log, the measured ingestion delay (buckets newer than
 * `now - delaySeconds` are still filling: `incompleteAfter`), openings inferred from traffic, and breaker events
 * from Event Grid when the user routed them.
 */

export interface DeployedMonitorReport {
  buckets: DeployedBucket[];
  delaySeconds: number;
  bucketSeconds: number;
  from: string;
  to: string;
  /** Buckets from here on may still be missing rows (ingestion delay). */
  incompleteAfter: string;
  workspaceId: string;
  openings: InferredOpening[];
  /** Event Grid breaker events, when a queue is configured; null when not. */
  breakerEvents: BreakerEvent[] | null;
  /** Things worth saying (no rows, tokens table empty, events unreadable). */
  notes: string[];
}

export interface DeployedMonitorOptions {
  logs: LogsReader;
  workspaceId: string;
  workspace: Workspace;
  sinceSeconds: number;
  now: () => number;
  serviceResourceId?: string;
  breakerEvents?: () => Promise<BreakerEvent[]>;
}

/** Without rows to measure it, Azure's documented typical latency: 20 s to 3 min; we assume the upper end. */
export const DEFAULT_DELAY_SECONDS = 180;

export async function readDeployedMonitor(o: DeployedMonitorOptions): Promise<DeployedMonitorReport> {
  const end = new Date(o.now());
  const start = new Date(end.getTime() - o.sinceSeconds * 1000);
  const bucketSeconds = bucketSecondsFor(o.sinceSeconds);
  const span = { startTime: start, endTime: end };
  const notes: string[] = [];
  const [traffic, tokens, delay] = await Promise.all([
    o.logs.query(o.workspaceId, trafficQuery(bucketSeconds, o.serviceResourceId), span),
    o.logs.query(o.workspaceId, tokensQuery(bucketSeconds, o.serviceResourceId), span).catch((e: Error): Row[] => {
      notes.push(`no token counts: ${e.message} (ApiManagementGatewayLlmLog needs the GatewayLlmLogs category)`);
      return [];
    }),
    o.logs.query(o.workspaceId, delayQuery(o.serviceResourceId), span),
  ]);
  // An empty range still answers one row (summarize without `by`) whose percentile is null: not a delay of 0.
  const measured = Number(delay[0]?.delaySeconds ?? NaN);
  const delaySeconds = Number.isFinite(measured) && measured > 0 ? Math.round(measured) : DEFAULT_DELAY_SECONDS;
  if (!Number.isFinite(measured)) notes.push(`no gateway log rows in the last ${o.sinceSeconds} s; the ingestion delay shown is Azure's typical upper bound`);
  const buckets = bucketsFrom(traffic, tokens);
  let breakerEvents: BreakerEvent[] | null = null;
  if (o.breakerEvents) {
    try {
      breakerEvents = (await o.breakerEvents()).filter((e) => e.at >= start.toISOString());
    } catch (e) {
      notes.push((e as Error).message);
    }
  }
  return {
    buckets,
    delaySeconds,
    bucketSeconds,
    from: start.toISOString(),
    to: end.toISOString(),
    incompleteAfter: new Date(end.getTime() - delaySeconds * 1000).toISOString(),
    workspaceId: o.workspaceId,
    openings: inferOpenings(buckets, o.workspace),
    breakerEvents,
    notes,
  };
}
