import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatFromPath, serializeWorkspace, validateWorkspace } from '../../../shared/model';
import { importService, resolveTarget } from '../../apim';
import { addTargetOptions, filteredIo, runDeploy, terminalSession, type DeployFlags } from '../deploy-support';
import { writeFileAtomic } from '../../workspace/atomic-write';
import { CliError, EXIT, type CliIo } from '../io';

interface ImportFlags extends DeployFlags {
  out?: string;
  force?: boolean;
}

export function registerImport(program: Command, io: CliIo, done: (code: number) => void): void {
  const cmd = program.command('import').description('read backends, pools and API wiring from APIM into a workspace (names of secrets, never values)');
  addTargetOptions(cmd)
    .option('--out <file>', 'write the workspace to this file (YAML, or JSON for .json) instead of stdout')
    .option('--force', 'overwrite --out when it exists')
    .action(async (flags: ImportFlags) => {
      const say = filteredIo(io, () => (t) => t);
      await runDeploy(() => (t) => t, async () => {
        if (flags.out && !flags.force && existsSync(resolve(io.cwd, flags.out))) {
          throw new CliError(`error: --out: ${flags.out} exists; choose another file or pass --force`, EXIT.input);
        }
        const target = resolveTarget(flags);
        const conn = terminalSession(io, target, flags);
        const { workspace, notes } = await importService(conn, target);
        const check = validateWorkspace(workspace);
        const header = `# Imported by breakerboard from APIM service ${target.service} (resource group ${target.resourceGroup}).\n`;
        const format = flags.out ? formatFromPath(flags.out) : 'yaml';
        const text = (format === 'yaml' ? header : '') + serializeWorkspace(workspace, format);
        if (flags.out) await writeFileAtomic(resolve(io.cwd, flags.out), text);
        if (flags.json) {
          say.json({ ok: check.ok, workspace, notes, errors: check.errors, ...(flags.out ? { out: flags.out } : {}) });
        } else {
          if (flags.out) say.out(`wrote ${flags.out}`);
          else io.stdout(text);
          for (const n of notes) say.err(`note: ${n}`);
          for (const e of check.errors) say.err(`error: ${e.path}: ${e.message}`);
        }
        done(check.ok ? EXIT.ok : EXIT.input);
      });
    });
}
