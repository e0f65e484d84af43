import { NO_TOKENS_MESSAGE, profileFromDeployed, profileFromStatus } from '../../shared/capacity';
import type { Workspace } from '../../shared/model';
import { gatewayStatusSchema } from '../../shared/monitor';
import { runDeploy } from './deploy-support';
import { openDeployedFromFlags, parseRange, type DeployedSourceFlags } from './deployed-source-flags';
import { CliError, EXIT, type CliIo } from './io';

/*
 * The traffic profiles `capacity` can import instead of --rpm / --tokens-per-request: a running local gateway's
 * (--from-gateway) or the deployed service's Log Analytics gateway logs (--from-deployed, through the same deployed
 * source as `monitor --deployed`). tokensPerRequest is null when the source has no token counts.
 */

export interface Observed {
  source: 'gateway' | 'deployed';
  rpm: number;
  tokensPerRequest: number | null;
  minutes: number;
  /** deployed: the complete buckets' range and the Log Analytics workspace read. */
  from?: string;
  to?: string;
  workspaceId?: string;
}

/** The profile a running gateway observed (GET /_breakerboard/status); a message naming the flag otherwise. */
export async function gatewayProfile(url: string): Promise<Observed> {
  let status: unknown;
  try {
    const res = await fetch(new URL('/_breakerboard/status', url), { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    status = await res.json();
  } catch (e) {
    throw new CliError(`error: --from-gateway: could not read ${url}/_breakerboard/status (${(e as Error).message})`, EXIT.input);
  }
  const parsed = gatewayStatusSchema.safeParse(status);
  if (!parsed.success) throw new CliError(`error: --from-gateway: ${url} did not answer with a Breakerboard gateway status`, EXIT.input);
  const p = profileFromStatus(parsed.data);
  if (typeof p === 'string') throw new CliError(`error: --from-gateway: ${p}`, EXIT.input);
  return { source: 'gateway', ...p };
}

/** The profile of the deployed service's gateway logs over --since (ending at --until, default now). */
export async function deployedProfile(io: CliIo, f: DeployedSourceFlags, workspace: Workspace, tokensGiven: boolean): Promise<Observed> {
  const { sinceSeconds, until } = parseRange(f);
  let observed: Observed | undefined;
  await runDeploy(() => (t) => t, async () => {
    const source = await openDeployedFromFlags(io, f, workspace, until);
    if (!source.ok) throw new CliError(`error: --from-deployed: ${source.reason}\nTo enable it: ${source.howTo}`, EXIT.input);
    const p = profileFromDeployed(await source.read(sinceSeconds));
    if (typeof p === 'string') throw new CliError(`error: --from-deployed: ${p}`, EXIT.input);
    if (p.tokensPerRequest === null && !tokensGiven) throw new CliError(`error: --from-deployed: ${NO_TOKENS_MESSAGE}`, EXIT.input);
    observed = { source: 'deployed', ...p, workspaceId: source.workspaceId };
  });
  return observed!;
}

/** One line in words for the text output. */
export function describeObserved(o: Observed): string {
  const tokens = o.tokensPerRequest === null ? 'no token counts in the logs' : `${o.tokensPerRequest} tokens per answered request`;
  const where = o.source === 'gateway' ? `over the last ${o.minutes} min` : `over ${o.minutes} min of the deployed service's gateway logs (${o.from} → ${o.to})`;
  return `observed: ${o.rpm} requests/min, ${tokens} ${where}`;
}
