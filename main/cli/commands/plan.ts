import type { Command } from 'commander';
import { resolve } from 'node:path';
import { formatPlan, hasChanges } from '../../../shared/deploy';
import { secretNames } from '../../../shared/export';
import { buildPlan, resolveTarget, secretRedactor, type Redact } from '../../apim';
import { addTargetOptions, filteredIo, runDeploy, terminalSession, type DeployFlags } from '../deploy-support';
import { envSecretSource } from '../../secrets/secret-source';
import { writeFileAtomic } from '../../workspace/atomic-write';
import { EXIT, type CliIo } from '../io';
import { requireWorkspace } from '../require-workspace';

/** Exit code of `plan --exit-code` when there are changes (DESIGN §2). */
export const EXIT_CHANGES = 3;

interface PlanFlags extends DeployFlags {
  prune?: boolean;
  out?: string;
  exitCode?: boolean;
}

export function registerPlan(program: Command, io: CliIo, done: (code: number) => void): void {
  const cmd = program
    .command('plan')
    .description('what apply would change in APIM, resource by resource and field by field')
    .argument('<ws>', 'workspace file');
  addTargetOptions(cmd)
    .option('--prune', 'also plan deleting backends the workspace no longer has')
    .option('--out <file>', 'write the plan (JSON) for `apply --plan`')
    .option('--exit-code', 'exit 0 when there are no changes, 3 when there are (drift checks)')
    .action(async (ws: string, flags: PlanFlags) => {
      let redact: Redact = (t) => t;
      const say = filteredIo(io, () => redact);
      await runDeploy(() => redact, async () => {
        const loaded = await requireWorkspace(io, ws);
        const secrets = envSecretSource(io.env);
        redact = secretRedactor(secrets, secretNames(loaded.workspace));
        const target = resolveTarget(flags, loaded.workspace.target);
        const conn = terminalSession(io, target, flags);
        const plan = await buildPlan(conn, target, loaded.workspace, { prune: flags.prune, secrets });
        if (flags.out) await writeFileAtomic(resolve(io.cwd, flags.out), redact(`${JSON.stringify(plan, null, 2)}\n`));
        if (flags.json) say.json(plan);
        else {
          for (const l of formatPlan(plan)) say.out(l);
          if (flags.out) say.out(`wrote ${flags.out} (apply it with: breakerboard apply --plan ${flags.out})`);
        }
        if (plan.blockers.length > 0) return done(EXIT.input);
        done(flags.exitCode && hasChanges(plan) ? EXIT_CHANGES : EXIT.ok);
      });
    });
}
