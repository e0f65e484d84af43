import type { Command } from 'commander';
import { resolve } from 'node:path';
import { loadWorkspaceFile, type LoadFailure } from '../../workspace/workspace-file';
import { EXIT, errLine, json, line, type CliIo } from '../io';

export function registerValidate(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('validate')
    .description('check a workspace file against APIM rules; print ok or one error line each')
    .argument('<ws>', 'workspace file (YAML or JSON)')
    .option('--json', 'print one JSON document')
    .action(async (ws: string, opts: { json?: boolean }) => {
      const path = resolve(io.cwd, ws);
      // loadWorkspaceFile reports every bad file as errors; anything it still throws is reported the same way.
      const loaded = await loadWorkspaceFile(path).catch((e: unknown): LoadFailure => ({ ok: false, path, errors: [{ path, message: `cannot be read (${(e as Error).message.split('\n')[0]})` }], warnings: [] }));
      if (opts.json) {
        json(io, {
          ok: loaded.ok,
          counts: loaded.ok ? loaded.counts : null,
          errors: loaded.ok ? [] : loaded.errors,
          warnings: loaded.warnings,
        });
        return done(loaded.ok ? EXIT.ok : EXIT.input);
      }
      if (loaded.ok) {
        const c = loaded.counts;
        line(io, `ok: ${c.backends} backends, ${c.pools} pools, ${c.apis} apis`);
      }
      for (const w of loaded.warnings) errLine(io, `warning: ${w.path}: ${w.message}`);
      if (!loaded.ok) for (const e of loaded.errors) errLine(io, `error: ${e.path === loaded.path ? ws : e.path}: ${e.message}`);
      done(loaded.ok ? EXIT.ok : EXIT.input);
    });
}
