import type { Command } from 'commander';
import { parseShortDuration } from '../../../shared/simulation/short-duration';
import { ApimError, resolveTarget, signInCredential, type ResolvedTarget } from '../../apim';
import { runDeploy, type DeployFlags } from '../deploy-support';
import { openDeployedSource, type DeployedMonitorReport } from '../../apim/deployed';
import { requireWorkspace } from '../require-workspace';
import { CliError, EXIT, json, line, type CliIo } from '../io';

/*
 * `monitor <ws> --deployed [--since 15m] [--workspace-id GUID] [--json]` (DESIGN §6): the deployed service's
 * per-backend traffic from Log Analytics. The workspace is found through the service's diagnostic settings unless
 * --workspace-id names it; `--json` prints `{ buckets, delaySeconds, … }`.
 */

interface MonitorFlags extends DeployFlags {
  deployed?: boolean;
  since: string;
  until?: string;
  workspaceId?: string;
  logsEndpoint?: string;
  eventsQueue?: string;
}

const MAX_SINCE_MS = 7 * 24 * 3_600_000;

export function registerMonitor(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('monitor')
    .description("the deployed service's per-backend traffic, statuses and inferred breaker openings from its Log Analytics gateway logs")
    .argument('<ws>', 'workspace file (backends and pools to chart; target: names the service)')
    .option('--deployed', 'read the deployed APIM service (required: the local gateway is watched in the app)')
    .option('--since <duration>', 'how far back (15m, 1h, PT30M)', '15m')
    .option('--until <time>', 'end of the range as an ISO time (default: now), to look at a past incident')
    .option('--workspace-id <guid>', 'the Log Analytics workspace id; overrides discovery through diagnostic settings')
    .option('--logs-endpoint <url>', 'Log Analytics query endpoint (sovereign clouds, tests)', undefined)
    .option('--events-queue <url>', 'the Storage queue that receives Event Grid breaker events (see the observability export)')
    .option('--subscription <id>', 'subscription id (default: the workspace target)')
    .option('--resource-group <name>', 'resource group of the APIM service')
    .option('--service <name>', 'APIM service name')
    .option('--endpoint <url>', 'ARM endpoint (sovereign clouds, tests); plain http only for loopback hosts')
    .option('--tenant <id>', 'Microsoft Entra tenant to sign in to')
    .option('--json', 'print one JSON document')
    .action(async (ws: string, f: MonitorFlags) => {
      if (!f.deployed) throw new CliError('error: --deployed is required: `monitor` reads the deployed service (the local gateway is watched in the app or at /_breakerboard/status)', EXIT.usage);
      const since = parseShortDuration(f.since);
      if (!since.ok) throw new CliError(`error: --since: ${since.message}`, EXIT.usage);
      if (since.ms > MAX_SINCE_MS) throw new CliError('error: --since: at most 7 days', EXIT.usage);
      const until = f.until === undefined ? undefined : Date.parse(f.until);
      if (until !== undefined && !Number.isFinite(until)) throw new CliError(`error: --until: "${f.until}" is not an ISO time such as 2026-11-25T10:15:00Z`, EXIT.usage);
      const loaded = await requireWorkspace(io, ws);
      await runDeploy(() => (t) => t, async () => {
        let target: ResolvedTarget | undefined;
        try {
          target = resolveTarget(f, loaded.workspace.target);
        } catch (e) {
          // Without a service, --workspace-id alone is enough (rows are then not narrowed to one service).
          if (!(e instanceof ApimError && e.code === 'usage' && f.workspaceId)) throw e;
        }
        const credential = signInCredential({ env: io.env, tenantId: f.tenant, interactive: 'none' });
        const source = await openDeployedSource({ credential, workspace: loaded.workspace, target, workspaceId: f.workspaceId, logsEndpoint: f.logsEndpoint, eventsQueue: f.eventsQueue, ...(until !== undefined ? { now: () => until } : {}) });
        if (!source.ok) {
          if (f.json) json(io, { error: { message: source.reason, howTo: source.howTo } });
          else io.stderr(`error: ${source.reason}\nTo enable it: ${source.howTo}\n`);
          return done(EXIT.input);
        }
        const report = await source.read(Math.round(since.ms / 1000));
        if (f.json) json(io, report);
        else {
          if (source.discoveredFrom) io.stderr(`logs from ${source.discoveredFrom}\n`);
          for (const l of formatDeployed(report)) line(io, l);
        }
        done(EXIT.ok);
      });
    });
}

/** A table per bucket: backend, requests, statuses; then openings and the delay, in words. */
export function formatDeployed(r: DeployedMonitorReport): string[] {
  const out = [`${r.from} → ${r.to}, buckets of ${r.bucketSeconds} s; ingestion delay about ${r.delaySeconds} s (buckets after ${r.incompleteAfter.slice(11, 19)} may still fill)`];
  if (r.buckets.length === 0) out.push('no requests in the gateway logs for this range');
  for (const b of r.buckets) {
    const cells = Object.entries(b.backends).map(([id, c]) => `${id} ${c.requests} (${Object.entries(c.status).map(([s, n]) => `${s}: ${n}`).join(', ')})`);
    out.push(`${b.at.slice(11, 19)}${b.at >= r.incompleteAfter ? '*' : ' '} ${cells.join('  ')}`);
  }
  for (const o of r.openings) out.push(`inferred opening: ${o.backend} (pool ${o.pool}) from ${o.at}${o.until ? ` until ${o.until}` : ', still without traffic'}: ${o.evidence}`);
  for (const e of r.breakerEvents ?? []) out.push(`breaker ${e.type}: ${e.backend} at ${e.at} (Event Grid)`);
  for (const n of r.notes) out.push(`note: ${n}`);
  return out;
}
