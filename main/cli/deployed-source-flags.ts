import type { Command } from 'commander';
import type { Workspace } from '../../shared/model';
import { parseShortDuration } from '../../shared/simulation/short-duration';
import { ApimError, resolveTarget, signInCredential, type ResolvedTarget } from '../apim';
import { openDeployedSource, type DeployedSource } from '../apim/deployed';
import { terminalSignIn, type DeployFlags } from './deploy-support';
import { CliError, EXIT, type CliIo } from './io';

/*
 * What `monitor --deployed` and `capacity --from-deployed` share: the range flags, the Log Analytics flags, and
 * opening the deployed source (the service's diagnostic settings, or --workspace-id alone) with a terminal's sign-in.
 */

export interface DeployedSourceFlags extends DeployFlags {
  since: string;
  until?: string;
  workspaceId?: string;
  logsEndpoint?: string;
  eventsQueue?: string;
}

const MAX_SINCE_MS = 7 * 24 * 3_600_000;

/** --since/--until/--workspace-id/--logs-endpoint and the target flags (not --json: the command has its own). */
export function addDeployedSourceOptions(cmd: Command): Command {
  return cmd
    .option('--since <duration>', 'how far back (15m, 1h, PT30M)', '15m')
    .option('--until <time>', 'end of the range as an ISO time (default: now), to look at a past incident')
    .option('--workspace-id <guid>', 'the Log Analytics workspace id; overrides discovery through diagnostic settings')
    .option('--logs-endpoint <url>', 'Log Analytics query endpoint (sovereign clouds, tests)', undefined)
    .option('--subscription <id>', 'subscription id (default: the workspace target)')
    .option('--resource-group <name>', 'resource group of the APIM service')
    .option('--service <name>', 'APIM service name')
    .option('--endpoint <url>', 'ARM endpoint (sovereign clouds, tests); plain http only for loopback hosts')
    .option('--tenant <id>', 'Microsoft Entra tenant to sign in to');
}

/** --since in seconds and --until in ms (undefined: now); usage errors name the flag. */
export function parseRange(f: DeployedSourceFlags): { sinceSeconds: number; until: number | undefined } {
  const since = parseShortDuration(f.since);
  if (!since.ok) throw new CliError(`error: --since: ${since.message}`, EXIT.usage);
  if (since.ms > MAX_SINCE_MS) throw new CliError('error: --since: at most 7 days', EXIT.usage);
  const until = f.until === undefined ? undefined : Date.parse(f.until);
  if (until !== undefined && !Number.isFinite(until)) throw new CliError(`error: --until: "${f.until}" is not an ISO time such as 2026-11-25T10:15:00Z`, EXIT.usage);
  return { sinceSeconds: Math.round(since.ms / 1000), until };
}

export async function openDeployedFromFlags(io: CliIo, f: DeployedSourceFlags, workspace: Workspace, until: number | undefined): Promise<DeployedSource> {
  let target: ResolvedTarget | undefined;
  try {
    target = resolveTarget(f, workspace.target);
  } catch (e) {
    // Without a service, --workspace-id alone is enough (rows are then not narrowed to one service).
    if (!(e instanceof ApimError && e.code === 'usage' && f.workspaceId)) throw e;
  }
  const credential = signInCredential(terminalSignIn(io, f.tenant));
  return openDeployedSource({ credential, workspace, target, workspaceId: f.workspaceId, logsEndpoint: f.logsEndpoint, eventsQueue: f.eventsQueue, ...(until !== undefined ? { now: () => until } : {}) });
}
