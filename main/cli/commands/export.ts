import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import { apiPolicyXml, exportArmTemplate, exportBicep } from '../../../shared/export';
import { exportObservabilityBicep } from '../../../shared/export/observability-bicep';
import { writeFileAtomic } from '../../workspace/atomic-write';
import { CliError, EXIT, json, line, type CliIo } from '../io';
import { requireWorkspace } from '../require-workspace';

type Format = 'bicep' | 'arm' | 'policy' | 'observability-bicep';

export function registerExport(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('export')
    .description('Bicep or an ARM template for the backends, pools and named values; or an API policy XML')
    .argument('<ws>', 'workspace file')
    .addOption(new Option('--format <format>', 'output format').choices(['bicep', 'arm', 'policy', 'observability-bicep']).makeOptionMandatory())
    .option('--api <id>', 'only this api (required for policy when the workspace has several)')
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--json', 'print one JSON document')
    .action(async (ws: string, opts: { format: Format; api?: string; out?: string; json?: boolean }) => {
      const loaded = await requireWorkspace(io, ws);
      const workspace = loaded.workspace;
      const apiIds = Object.keys(workspace.apis ?? {});
      if (opts.api !== undefined && !apiIds.includes(opts.api)) {
        throw new CliError(`error: --api: no api "${opts.api}" in ${ws} (apis: ${apiIds.join(', ') || 'none'})`);
      }
      let content: string;
      if (opts.format === 'policy') {
        const apiId = opts.api ?? (apiIds.length === 1 ? apiIds[0] : undefined);
        if (!apiId) throw new CliError(`error: --api: the workspace has ${apiIds.length === 0 ? 'no apis' : `several apis (${apiIds.join(', ')}); name one`}`, apiIds.length === 0 ? EXIT.input : EXIT.usage);
        content = apiPolicyXml(workspace, apiId);
      } else if (opts.format === 'observability-bicep') {
        content = exportObservabilityBicep(workspace, { source: ws });
      } else if (opts.format === 'arm') {
        content = `${JSON.stringify(exportArmTemplate(workspace, { apiId: opts.api }), null, 2)}\n`;
      } else {
        content = exportBicep(workspace, { apiId: opts.api, source: ws });
      }
      if (opts.out) {
        // Say which file could not be written, not which temporary file the atomic write was using.
        await writeFileAtomic(resolve(io.cwd, opts.out), content).catch((e: NodeJS.ErrnoException) => {
          throw new CliError(`error: --out: cannot write ${opts.out} (${e.code ?? e.message})`);
        });
        if (opts.json) json(io, { ok: true, format: opts.format, out: opts.out });
        else line(io, `wrote ${opts.out}`);
      } else if (opts.json) json(io, { ok: true, format: opts.format, content });
      else io.stdout(content);
      done(EXIT.ok);
    });
}
