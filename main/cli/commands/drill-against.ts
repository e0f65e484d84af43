import type { Workspace } from '../../../shared/model';
import type { Drill } from '../../../shared/simulation/drill-file';
import { checkEndpoint, connect, resolveTarget, signInCredential } from '../../apim';
import { readSubscriptionKey } from '../../apim/deployed';
import { startGateway } from '../../gateway';
import { formatDrillReport } from '../../loadgen';
import { describeEstimate, drillSideBySide, planAgainst, type SideBySide } from '../../loadgen/against';
import { startSimulators } from '../../simulator';
import { CliError, EXIT, type CliIo } from '../io';
import { terminalSignIn } from '../deploy-support';

/*
 * The --against part of `drill` (DESIGN §6): loads only, to the deployed gateway with the subscription key from an
 * environment variable or from the service; the prediction beside it; `--json` = `{ observed, predicted,
 * differences }`. Exit 1 when an observable expectation (client errors) failed. The key is never printed: every
 * line passes a filter that would replace it.
 */

export interface AgainstFlags {
  against?: string;
  keyEnv?: string;
  keyFrom?: string;
  endpoint?: string;
  driveQuota?: boolean;
  yes?: boolean;
}

export const DEFAULT_KEY_ENV = 'APIM_SUBSCRIPTION_KEY';

function gatewayUrl(raw: string): string {
  try {
    return checkEndpoint(raw).toString();
  } catch {
    throw new CliError(`error: --against: "${raw}" must be the gateway's https URL, e.g. https://my-apim.azure-api.net/openai (plain http only on this machine)`, EXIT.usage);
  }
}

async function subscriptionKey(io: CliIo, ws: Workspace, f: AgainstFlags): Promise<string> {
  if (f.keyFrom !== undefined) {
    if (f.keyEnv !== undefined) throw new CliError('error: --key-from: give either --key-env or --key-from, not both', EXIT.usage);
    const target = resolveTarget({ endpoint: f.endpoint }, ws.target);
    const arm = connect(target.subscription, { credential: signInCredential(terminalSignIn(io)), endpoint: target.endpoint, retry: { maxRetries: 1 } });
    try {
      return await readSubscriptionKey(arm, target, f.keyFrom);
    } catch (e) {
      throw new CliError(`error: --key-from: ${(e as Error).message}`);
    }
  }
  const name = f.keyEnv ?? DEFAULT_KEY_ENV;
  const key = io.env[name];
  if (!key) throw new CliError(`error: --key-env: the environment variable ${name} is not set (it holds the APIM subscription key; or use --key-from <subscription id>)`, EXIT.usage);
  return key;
}

export async function runDrillAgainst(io: CliIo, ws: Workspace, drill: Drill, f: AgainstFlags & { json?: boolean }, speed: number | undefined, signal: AbortSignal): Promise<number> {
  const url = gatewayUrl(f.against!);
  const planned = planAgainst(ws, drill, f.driveQuota === true);
  if (!planned.ok) {
    if (f.json) io.stdout(`${JSON.stringify({ pass: false, errors: planned.errors }, null, 2)}\n`);
    else io.stderr(planned.errors.map((e) => `error: ${e.path}: ${e.message}\n`).join(''));
    return EXIT.input;
  }
  if (planned.plan.bursts.length > 0) {
    io.stderr(describeEstimate(planned.plan, drill).map((l) => `${l}\n`).join(''));
    if (!f.yes) {
      if (!io.isTty || !io.ask) throw new CliError('error: --drive-quota: pass --yes to confirm the estimate above (no terminal to ask on)', EXIT.usage);
      const answer = await io.ask('send it? [y/N] ');
      if (!/^y(es)?$/i.test(answer.trim())) {
        io.stderr('nothing sent\n');
        return EXIT.input;
      }
    }
  }
  const key = await subscriptionKey(io, ws, f);
  const hide = (t: string) => t.split(key).join('(secret)');
  const result = await drillSideBySide({ workspace: ws, drill, url, key, plan: planned.plan, predictSpeed: speed, startGateway, startSimulators, signal });
  if (f.json) io.stdout(hide(`${JSON.stringify(result, null, 2)}\n`));
  else io.stdout(hide(formatSideBySide(result).map((l) => `${l}\n`).join('')));
  return result.observed.pass ? EXIT.ok : EXIT.input;
}

export function formatSideBySide(r: SideBySide): string[] {
  const o = r.observed;
  const out = [`observed on ${o.target}:`, ...formatDrillReport(o).map((l) => `  ${l}`)];
  out.push(`  served-by evidence: ${o.evidence.header ? `header ${o.evidence.header}, then ` : ''}x-ms-region${Object.keys(o.evidence.sharedRegions).length ? ` (cannot tell apart: ${Object.entries(o.evidence.sharedRegions).map(([reg, ids]) => `${ids.join(' and ')} in ${reg}`).join('; ')})` : ''}`);
  if (o.notObservable.length > 0) out.push(`  not observable on a deployed service (no breaker API): ${o.notObservable.join(', ')}`);
  const p = r.predicted;
  const share = (s: Record<string, number>) => Object.entries(s).map(([id, n]) => `${id} ${n}`).join(', ');
  out.push(`predicted by the local engine (speed ${p.speed}): ${p.requests} requests, ${p.clientErrors} client errors, served by ${share(p.servedBy) || 'nobody'}`);
  out.push('differences:');
  if (r.differences.length === 0) out.push('  none beyond the thresholds (10 points of share, 5 of client errors)');
  for (const d of r.differences) out.push(`  ${d.what}: observed ${d.observed}, predicted ${d.predicted}${d.note ? ` — ${d.note}` : ''}`);
  return out;
}
