import type { Command } from 'commander';
import { describeRun, parseSweep, planContext, runSweep } from '../../../shared/capacity';
import { parseShortDuration } from '../../../shared/simulation/short-duration';
import { addDeployedSourceOptions, type DeployedSourceFlags } from '../deployed-source-flags';
import { deployedProfile, describeObserved, gatewayProfile } from '../observed-profiles';
import { requireWorkspace } from '../require-workspace';
import { CliError, EXIT, errLine, json, line, type CliIo } from '../io';

interface CapacityFlags extends DeployedSourceFlags {
  rpm?: string;
  tokensPerRequest?: string;
  fromGateway?: string;
  fromDeployed?: boolean;
  duration: string;
  sweep?: string;
  api?: string;
  seed?: string;
  arrivals: string;
  json?: boolean;
}

function positive(flag: string, text: string, integer: boolean): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new CliError(`error: ${flag}: "${text}" must be a ${integer ? 'whole ' : ''}number greater than 0`, EXIT.input);
  return n;
}

/** `capacity` (DESIGN §6): the planner in virtual time on the workspace's simulated backends. */
export function registerCapacity(program: Command, io: CliIo, done: (code: number) => void): void {
  const cmd = program
    .command('capacity')
    .description('plan capacity: a traffic profile through the pool in virtual time (simulation: budgets, else capacity:)')
    .argument('<ws>', 'workspace file (YAML or JSON)')
    .option('--rpm <n>', 'requests per minute (at load factor 1)')
    .option('--tokens-per-request <m>', 'tokens each request costs (prompt + max_tokens)')
    .option('--from-gateway <url>', "take the profile from a running local gateway's observed traffic (its last 15 min); --rpm / --tokens-per-request override")
    .option('--duration <d>', 'how long the profile runs (PT1H, 30m, …)', 'PT1H')
    .option('--sweep <from:to:step>', 'load factors to run, e.g. 0.5:3:0.5 (default: 1)')
    .option('--api <id>', 'the api whose pool is planned (default: the first api, else the first pool)')
    .option('--seed <n>', 'seed for latencies and Poisson arrivals')
    .option('--arrivals <kind>', 'uniform (like `load --rps`) or poisson', 'uniform')
    .option('--from-deployed', "take the profile from the deployed service's Log Analytics gateway logs over --since (like `monitor --deployed`); --rpm / --tokens-per-request override")
    .option('--json', 'print one JSON document');
  addDeployedSourceOptions(cmd)
    .action(async (file: string, flags: CapacityFlags) => {
      if (flags.fromGateway !== undefined && flags.fromDeployed) throw new CliError('error: give --from-gateway or --from-deployed, not both', EXIT.usage);
      const observed =
        flags.fromGateway !== undefined
          ? await gatewayProfile(flags.fromGateway)
          : flags.fromDeployed
            ? await deployedProfile(io, flags, (await requireWorkspace(io, file)).workspace, flags.tokensPerRequest !== undefined)
            : undefined;
      if (observed === undefined && (flags.rpm === undefined || flags.tokensPerRequest === undefined)) {
        throw new CliError('error: give --rpm and --tokens-per-request, or --from-gateway URL, or --from-deployed', EXIT.usage);
      }
      const rpm = flags.rpm !== undefined ? positive('--rpm', flags.rpm, false) : observed!.rpm;
      const tokensPerRequest = flags.tokensPerRequest !== undefined ? positive('--tokens-per-request', flags.tokensPerRequest, true) : observed!.tokensPerRequest!;
      if (observed && !flags.json) line(io, describeObserved(observed));
      const duration = parseShortDuration(flags.duration);
      if (!duration.ok) throw new CliError(`error: --duration: ${duration.message}`, EXIT.input);
      if (duration.ms > 7 * 86_400_000) throw new CliError('error: --duration: at most 7 days', EXIT.input);
      const sweep = flags.sweep !== undefined ? parseSweep(flags.sweep) : { ok: true as const, factors: [1] };
      if (!sweep.ok) throw new CliError(`error: ${sweep.message}`, EXIT.input);
      if (flags.arrivals !== 'uniform' && flags.arrivals !== 'poisson') throw new CliError(`error: --arrivals: "${flags.arrivals}" must be uniform or poisson`, EXIT.input);
      const seed = flags.seed !== undefined ? positive('--seed', flags.seed, true) : undefined;
      const loaded = await requireWorkspace(io, file);
      const ctx = planContext(loaded.workspace, flags.api);
      if (typeof ctx === 'string') throw new CliError(`error: ${ctx.replace(/^api: /, '--api: ')}`, EXIT.input);
      const profile = { rpm, tokensPerRequest, durationMs: duration.ms, api: flags.api, seed, arrivals: flags.arrivals as 'uniform' | 'poisson' };
      let result;
      try {
        result = runSweep(loaded.workspace, profile, sweep.factors, () => performance.now());
      } catch (e) {
        throw new CliError(`error: ${(e as Error).message.replace(/^duration: /, '--duration: ')}`, EXIT.input);
      }
      if (flags.json) {
        json(io, { ...result, target: ctx.target, unlimited: ctx.unlimited, ...(observed ? { observed } : {}), profile: { rpm, tokensPerRequest } });
        return done(EXIT.ok);
      }
      line(io, `${ctx.target}: ${rpm} requests/min × ${tokensPerRequest} tokens for ${flags.duration}`);
      for (const run of result.runs) line(io, describeRun(run));
      line(io, `planned ${result.runs.length} run${result.runs.length === 1 ? '' : 's'} in ${result.wallMs} ms (virtual time)`);
      if (ctx.unlimited.length > 0) errLine(io, `warning: no budget for ${ctx.unlimited.join(', ')} (neither simulation: nor capacity: tokensPerMinute/requestsPerMinute): planned as unlimited`);
      done(EXIT.ok);
    });
}
