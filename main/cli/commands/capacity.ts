import type { Command } from 'commander';
import { describeRun, parseSweep, planContext, profileFromStatus, runSweep } from '../../../shared/capacity';
import { gatewayStatusSchema } from '../../../shared/monitor';
import { parseShortDuration } from '../../../shared/simulation/short-duration';
import { requireWorkspace } from '../require-workspace';
import { CliError, EXIT, errLine, json, line, type CliIo } from '../io';

interface CapacityFlags {
  rpm?: string;
  tokensPerRequest?: string;
  fromGateway?: string;
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

/** The profile a running gateway observed (GET /_breakerboard/status); a message naming the flag otherwise. */
async function observedProfile(url: string) {
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
  return p;
}

/** `capacity` (DESIGN §6): the planner in virtual time on the workspace's simulated backends. */
export function registerCapacity(program: Command, io: CliIo, done: (code: number) => void): void {
  program
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
    .option('--json', 'print one JSON document')
    .action(async (file: string, flags: CapacityFlags) => {
      const observed = flags.fromGateway !== undefined ? await observedProfile(flags.fromGateway) : undefined;
      if (observed === undefined && (flags.rpm === undefined || flags.tokensPerRequest === undefined)) {
        throw new CliError('error: give --rpm and --tokens-per-request, or --from-gateway URL', EXIT.usage);
      }
      const rpm = flags.rpm !== undefined ? positive('--rpm', flags.rpm, false) : observed!.rpm;
      const tokensPerRequest = flags.tokensPerRequest !== undefined ? positive('--tokens-per-request', flags.tokensPerRequest, true) : observed!.tokensPerRequest;
      if (observed && !flags.json) line(io, `observed: ${observed.rpm} requests/min, ${observed.tokensPerRequest} tokens per answered request over the last ${observed.minutes} min`);
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
        json(io, { ...result, target: ctx.target, unlimited: ctx.unlimited });
        return done(EXIT.ok);
      }
      line(io, `${ctx.target}: ${rpm} requests/min × ${tokensPerRequest} tokens for ${flags.duration}`);
      for (const run of result.runs) line(io, describeRun(run));
      line(io, `planned ${result.runs.length} run${result.runs.length === 1 ? '' : 's'} in ${result.wallMs} ms (virtual time)`);
      if (ctx.unlimited.length > 0) errLine(io, `warning: no budget for ${ctx.unlimited.join(', ')} (neither simulation: nor capacity: tokensPerMinute/requestsPerMinute): planned as unlimited`);
      done(EXIT.ok);
    });
}
