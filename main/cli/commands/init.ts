import type { Command } from 'commander';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { DEMO_DRILL_YAML, DEMO_WORKSPACE_YAML, EMPTY_WORKSPACE_YAML, formatFromPath, serializeWorkspace } from '../../../shared/model';
import { CliError, EXIT, json, line, type CliIo } from '../io';

const exists = (p: string) => access(p).then(() => true, () => false);

/** A file name as a YAML scalar: plain when safe, otherwise double-quoted (a JSON string is valid YAML). */
const yamlScalar = (name: string) => (/^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(name) ? name : JSON.stringify(name));

/** `demo.yaml` → `demo.drill.yaml` beside it. */
export function drillPathFor(workspacePath: string): string {
  const ext = extname(workspacePath);
  return join(dirname(workspacePath), `${basename(workspacePath, ext)}.drill.yaml`);
}

export function registerInit(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('init')
    .description('write the built-in demo workspace (and its failover drill), or an empty one; never overwrites')
    .argument('<file>', 'workspace file to create')
    .option('--empty', 'an empty workspace instead of the demo')
    .option('--json', 'print one JSON document')
    .action(async (file: string, opts: { empty?: boolean; json?: boolean }) => {
      const path = resolve(io.cwd, file);
      const drill = drillPathFor(path);
      const targets = opts.empty ? [path] : [path, drill];
      for (const t of targets) if (await exists(t)) throw new CliError(`error: ${t}: already exists; init never overwrites a file`);
      await mkdir(dirname(path), { recursive: true });
      const yamlText = opts.empty ? EMPTY_WORKSPACE_YAML : DEMO_WORKSPACE_YAML;
      // A `.json` workspace gets JSON (YAML comments cannot come along); everything else gets the commented YAML.
      const workspaceText = formatFromPath(path) === 'json' ? serializeWorkspace(parse(yamlText), 'json') : yamlText;
      // `wx`: a file that appeared since the check above is still not overwritten.
      await writeFile(path, workspaceText, { flag: 'wx' });
      if (!opts.empty) await writeFile(drill, DEMO_DRILL_YAML.replace(/^workspace: .*$/m, `workspace: ${yamlScalar(basename(path))}`), { flag: 'wx' });
      if (opts.json) json(io, { ok: true, written: targets });
      else for (const t of targets) line(io, `wrote ${t}`);
      done(EXIT.ok);
    });
}
