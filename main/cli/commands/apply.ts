import type { Command } from 'commander';
import { resolve } from 'node:path';
import { describeStep, formatPlan, hasChanges, maskPlan, parsePlan, type ApplyEvent, type Plan } from '../../../shared/deploy';
import { secretNames } from '../../../shared/export';
import { applyPlan, buildPlan, checkPlanTarget, resolveTarget, secretRedactor, type Redact } from '../../apim';
import { addTargetOptions, filteredIo, runDeploy, terminalSession, type DeployFlags } from '../deploy-support';
import { envSecretSource } from '../../secrets/secret-source';
import { readTextFile } from '../../workspace/workspace-file';
import { CliError, EXIT, type CliIo } from '../io';
import { requireWorkspace } from '../require-workspace';

interface ApplyFlags extends DeployFlags {
  prune?: boolean;
  yes?: boolean;
  plan?: string;
}

async function readPlanFile(io: CliIo, file: string): Promise<Plan> {
  const read = await readTextFile(resolve(io.cwd, file), 5 * 1024 * 1024);
  if (!read.ok) throw new CliError(`error: ${file}: ${read.message}`);
  let value: unknown;
  try {
    value = JSON.parse(read.text);
  } catch {
    throw new CliError(`error: ${file}: not JSON (write plans with \`breakerboard plan <ws> --out ${file}\`)`);
  }
  const parsed = parsePlan(value);
  if (!parsed.ok) throw new CliError(parsed.errors.map((e) => `error: ${file}: ${e}`).join('\n'));
  return parsed.plan;
}

async function confirm(io: CliIo, question: string): Promise<boolean> {
  if (!io.ask) return false;
  return /^y(es)?$/i.test((await io.ask(question)).trim());
}

/** One progress line per finished step, rollback step or wait (DESIGN §2); the UI gets the same events. */
function progressLine(e: ApplyEvent): string | undefined {
  switch (e.type) {
    case 'step':
      return e.status === 'running' ? undefined : `[${e.index}/${e.total}] ${describeStep(e.step)}: ${e.status}`;
    case 'throttled':
      return `  throttled by Azure during ${describeStep(e.step)}: waiting ${e.waitSeconds} s as Retry-After says`;
    case 'rollback':
      return e.status === 'running' ? undefined : `  rollback ${describeStep(e.step)}: ${e.status}`;
    default:
      return undefined;
  }
}

export function registerApply(program: Command, io: CliIo, done: (code: number) => void): void {
  const cmd = program
    .command('apply')
    .description('apply the plan in dependency order (named values, backends, pools, API policies), with rollback on failure')
    .argument('[ws]', 'workspace file (not needed with --plan)');
  addTargetOptions(cmd)
    .option('--prune', 'delete backends the workspace no longer has')
    .option('--yes', 'do not ask for confirmation')
    .option('--plan <file>', 'apply exactly this plan (from `plan --out`); its ETags guard against changes since; its target must be the workspace\'s (or the flags\')')
    .action(async (ws: string | undefined, flags: ApplyFlags) => {
      let redact: Redact = (t) => t;
      const say = filteredIo(io, () => redact);
      await runDeploy(() => redact, async () => {
        const secrets = envSecretSource(io.env);
        let plan: Plan;
        let target;
        let conn;
        if (flags.plan) {
          plan = await readPlanFile(io, flags.plan);
          redact = secretRedactor(secrets, plan.changes.map((c) => c.secretName ?? '').filter(Boolean));
          // The target comes from the workspace and flags, never from the file: a plan cannot send the token elsewhere.
          const fromWorkspace = ws ? (await requireWorkspace(io, ws)).workspace.target : undefined;
          if (!ws && !flags.subscription && !flags.resourceGroup && !flags.service) {
            throw new CliError(`error: apply --plan needs the target from the workspace or the flags (apply <ws> --plan ${flags.plan}, or --subscription, --resource-group, --service): a plan file does not choose where credentials go`, EXIT.usage);
          }
          target = resolveTarget(flags, fromWorkspace);
          checkPlanTarget(plan, target, target.endpoint);
          conn = terminalSession(io, target, flags);
        } else {
          if (!ws) throw new CliError('error: apply needs a workspace file, or --plan PLAN.json', EXIT.usage);
          const loaded = await requireWorkspace(io, ws);
          redact = secretRedactor(secrets, secretNames(loaded.workspace));
          target = resolveTarget(flags, loaded.workspace.target);
          conn = terminalSession(io, target, flags);
          plan = await buildPlan(conn, target, loaded.workspace, { prune: flags.prune, secrets });
          if (!flags.json) for (const l of formatPlan(plan)) say.out(l);
          if (plan.blockers.length > 0) throw new CliError(redact(`error: apply refused; fix these first:\n${plan.blockers.map((b) => `  ${b}`).join('\n')}`));
          if (hasChanges(plan) && !flags.yes) {
            if (!io.isTty || !io.ask) throw new CliError('error: apply changes Azure and needs a confirmation: run it in a terminal or pass --yes', EXIT.usage);
            if (!(await confirm(io, `apply these changes to ${target.service}? [y/N] `))) {
              say.err('apply cancelled: nothing was changed');
              return done(EXIT.ok);
            }
          }
        }
        const progress = (l: string) => (flags.json ? say.err(l) : say.out(l));
        const result = await applyPlan(conn, target, plan, {
          secrets,
          endpoint: target.endpoint,
          onEvent: (e) => {
            const l = progressLine(e);
            if (l) progress(l);
          },
        });
        if (flags.json) say.json({ ok: result.ok, plan: maskPlan(plan), result });
        else if (result.ok) say.out(result.message);
        else say.err(`error: ${result.message}`);
        done(result.ok ? EXIT.ok : EXIT.input);
      });
    });
}
