import type { Command } from 'commander';
import { runDeploy } from '../deploy-support';
import type { DeployedMonitorReport } from '../../apim/deployed';
import { addDeployedSourceOptions, openDeployedFromFlags, parseRange, type DeployedSourceFlags } from '../deployed-source-flags';
import { requireWorkspace } from '../require-workspace';
import { CliError, EXIT, json, line, type CliIo } from '../io';

/*
 * `monitor <ws> --deployed [--since 15m] [--workspace-id GUID] [--json]` (DESIGN §6): the deployed service's
 * per-backend traffic from Log Analytics. The workspace is found through the service's diagnostic settings unless
 * --workspace-id names it; `--json` prints `{ buckets, delaySeconds, … }`.
 */

interface MonitorFlags extends DeployedSourceFlags {
  deployed?: boolean;
}

export function registerMonitor(program: Command, io: CliIo, done: (code: number) => void): void {
  const cmd = program
    .command('monitor')
    .description("the deployed service's per-backend traffic, statuses and inferred breaker openings from its Log Analytics gateway logs")
    .argument('<ws>', 'workspace file (backends and pools to chart; target: names the service)')
    .option('--deployed', 'read the deployed APIM service (required: the local gateway is watched in the app)');
  addDeployedSourceOptions(cmd)
    .option('--events-queue <url>', 'the Storage queue that receives Event Grid breaker events (see the observability export)')
    .option('--json', 'print one JSON document')
    .action(async (ws: string, f: MonitorFlags) => {
      if (!f.deployed) throw new CliError('error: --deployed is required: `monitor` reads the deployed service (the local gateway is watched in the app or at /_breakerboard/status)', EXIT.usage);
      const { sinceSeconds, until } = parseRange(f);
      const loaded = await requireWorkspace(io, ws);
      await runDeploy(() => (t) => t, async () => {
        const source = await openDeployedFromFlags(io, f, loaded.workspace, until);
        if (!source.ok) {
          if (f.json) json(io, { error: { message: source.reason, howTo: source.howTo } });
          else io.stderr(`error: ${source.reason}\nTo enable it: ${source.howTo}\n`);
          return done(EXIT.input);
        }
        const report = await source.read(sinceSeconds);
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
