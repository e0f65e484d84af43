import type { Command } from 'commander';
import { startGateway } from '../../gateway';
import { formatDrillReport, loadDrillFile, runDrill } from '../../loadgen';
import { startSimulators } from '../../simulator';
import { requireWorkspace } from '../require-workspace';
import { runDrillAgainst, type AgainstFlags } from './drill-against';
import { CliError, EXIT, json, line, type CliIo } from '../io';

/*
 * `drill <ws> <drill.yaml> [--json] [--speed N]`: exit 0 when every expectation held, 1 when one failed or a file
 * is wrong (`error: <path>: <message>`). The workspace argument wins over the drill's own `workspace:` field.
 */
export function registerDrill(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('drill')
    .description('run a failover drill: load + timed faults on simulated backends through the gateway, with a report')
    .argument('<ws>', 'workspace file')
    .argument('<drill>', 'drill file (YAML or JSON)')
    .option('--json', 'print one JSON document')
    .option('--speed <n>', 'divide every duration (timeline, breaker windows, Retry-After) by this; overrides the file')
    .option('--virtual-time', 'run on a virtual clock shared by the load, the gateway and the simulated backends: the same report on any machine, as fast as the requests are processed')
    .option('--against <gateway-url>', 'send the loads to the deployed APIM gateway (https://<service>.azure-api.net[/<api path>]) and compare with the local prediction')
    .option('--key-env <var>', 'with --against: the environment variable holding the APIM subscription key (default APIM_SUBSCRIPTION_KEY)')
    .option('--key-from <sid>', "with --against: read the key of this APIM subscription from the service (the workspace's target:) through the management API")
    .option('--endpoint <url>', 'with --key-from: ARM endpoint (sovereign clouds, tests)')
    .option('--drive-quota', "with --against: turn throttle steps into load past the backend's quota (costs money: an estimate is shown first)")
    .option('--yes', 'with --drive-quota: do not ask before sending')
    .action(async (ws: string, drillPath: string, f: { json?: boolean; speed?: string; virtualTime?: boolean } & AgainstFlags) => {
      const speed = f.speed === undefined ? undefined : Number(f.speed);
      if (speed !== undefined && !(Number.isFinite(speed) && speed > 0 && speed <= 1000)) throw new CliError(`error: --speed: must be a number between 0 and 1000 (got "${f.speed}")`, EXIT.usage);
      if (f.virtualTime && f.against !== undefined) throw new CliError('error: --virtual-time: a deployed service runs in real time; use it without --against', EXIT.usage);
      const loaded = await requireWorkspace(io, ws);
      const drill = await loadDrillFile(drillPath, io.cwd, loaded.workspace);
      if (!drill.ok) {
        if (!f.json) throw new CliError(drill.errors.map((e) => `error: ${e.path}: ${e.message}`).join('\n'));
        json(io, { pass: false, errors: drill.errors });
        return done(EXIT.input);
      }
      const stop = new AbortController();
      void io.interrupted?.then(() => stop.abort());
      if (f.against !== undefined) return done(await runDrillAgainst(io, loaded.workspace, drill.drill, f, speed, stop.signal));
      const live = io.isTty && !f.json;
      const report = await runDrill({
        workspace: loaded.workspace,
        drill: drill.drill,
        speed,
        startGateway,
        startSimulators,
        signal: stop.signal,
        virtualTime: f.virtualTime === true,
        onProgress: live ? (p) => io.stderr(`\r\x1b[K${(p.drillMs / 1000).toFixed(0)} s: ${p.completed} done, ${p.failed} failed, ${p.inFlight} in flight`) : undefined,
      });
      if (live) io.stderr('\r\x1b[K');
      if (f.json) json(io, report);
      else for (const l of formatDrillReport(report)) line(io, l);
      done(report.pass ? EXIT.ok : EXIT.input);
    });
}
