import { InvalidArgumentError, type Command } from 'commander';
import { version } from '../../../package.json';
import { ContractError } from '../../../shared/contract';
import { startControlServer } from '../../control/control-server';
import { defaultRendererDir } from '../../control/renderer-dir';
import { createCoreServices } from '../../services/create-services';
import { createMemorySecretStore } from '../../services/secret-store';
import { CliError, EXIT, line, type CliIo } from '../io';

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError('must be a port number between 0 and 65535');
  return n;
}

/**
 * `serve [ws] [--port N]` (DESIGN §2, §4): the desktop app's services behind the control server, for a browser.
 * Without a file the built-in demo opens in memory; secrets typed in live in memory only.
 */
export function registerServe(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('serve')
    .description('open the dashboard in a browser (headless machines): prints the URL with its access token')
    .argument('[ws]', 'workspace file to open (default: the built-in demo, in memory)')
    .option('--port <n>', 'port on 127.0.0.1 (default: a free one)', parsePort)
    .action(async (ws: string | undefined, opts: { port?: number }) => {
      const services = createCoreServices({
        platform: 'serve',
        version,
        cwd: io.cwd,
        env: io.env,
        secretStore: createMemorySecretStore(),
      });
      if (ws !== undefined) {
        try {
          await services.workspace.open({ path: ws });
        } catch (e) {
          throw new CliError(`error: ${ws}: ${e instanceof ContractError ? e.message.replace(/^.*?: /, '') : (e as Error).message}`);
        }
      }
      let server;
      try {
        server = await startControlServer({ services, rendererDir: defaultRendererDir(), port: opts.port });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new CliError(`error: --port: cannot listen on 127.0.0.1:${opts.port ?? 0} (${code ?? (e as Error).message})`);
      }
      line(io, `dashboard at ${server.dashboardUrl}`);
      await (io.interrupted ?? new Promise<void>(() => undefined));
      await server.close();
      await services.dispose();
      done(EXIT.ok);
    });
}
