import type { Command } from 'commander';
import { describeRun, parseSweep, planContext, runSweep } from '../../../shared/capacity';
import { parseShortDuration } from '../../../shared/simulation/short-duration';
import { requireWorkspace } from '../require-workspace';
import { CliError, EXIT, errLine, json, line, type CliIo } from '../io';

interface CapacityFlags {
  rpm: string;
  tokensPerRequest: string;
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
  program
    .command('capacity')
    .description('plan capacity: a traffic profile through the pool in virtual time (simulation: budgets, else capacity:)')
    .argument('<ws>', 'workspace file (YAML or JSON)')
    .requiredOption('--rpm <n>', 'requests per minute (at load factor 1)')
    .requiredOption('--tokens-per-request <m>', 'tokens each request costs (prompt + max_tokens)')
    .option('--duration <d>', 'how long the profile runs (PT1H, 30m, …)', 'PT1H')
    .option('--sweep <from:to:step>', 'load factors to run, e.g. 0.5:3:0.5 (default: 1)')
    .option('--api <id>', 'the api whose pool is planned (default: the first api, else the first pool)')
    .option('--seed <n>', 'seed for latencies and Poisson arrivals')
    .option('--arrivals <kind>', 'uniform (like `load --rps`) or poisson', 'uniform')
    .option('--json', 'print one JSON document')
    .action(async (file: string, flags: CapacityFlags) => {
      const rpm = positive('--rpm', flags.rpm, false);
      const tokensPerRequest = positive('--tokens-per-request', flags.tokensPerRequest, true);
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
      const result = runSweep(loaded.workspace, profile, sweep.factors, () => performance.now());
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
