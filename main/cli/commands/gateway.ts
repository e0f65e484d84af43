import type { Command } from 'commander';
import { createWriteStream, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { GatewayEvent } from '../../../shared/monitor';
import { startGateway, type GatewayHandle } from '../../gateway';
import { isLoopback } from '../../gateway/gateway-key';
import { envSecretSource } from '../../secrets/secret-source';
import { startSimulators, type SimulatorHandle } from '../../simulator';
import { requireWorkspace } from '../require-workspace';
import { CliError, EXIT, errLine, line, type CliIo } from '../io';

interface GatewayFlags {
  host: string;
  port?: string;
  portBase?: string;
  simulate?: boolean;
  accessLog?: string;
}

/** One short line per event for the terminal; the full JSON is on /_breakerboard/events. */
function describeEvent(e: GatewayEvent): string {
  switch (e.type) {
    case 'trip':
      return `${e.extended ? 'extended' : 'trip'} ${e.backend} until ${e.openUntil} (${e.reason})`;
    case 'reset':
      return `reset ${e.backend} (${e.reason})`;
    case 'failover':
      return `failover ${e.backend} -> ${e.to} (${e.reason})`;
    case 'config':
      return e.ok ? (e.reason === 'reloaded' ? 'config reloaded' : `config: ${e.reason}`) : 'config edit refused; the previous configuration keeps serving';
    case 'warning':
      return `warning: ${e.reason}`;
  }
}

export function registerGateway(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('gateway')
    .description('run the local gateway engine: routes OpenAI traffic through the pools and breakers as APIM would')
    .argument('<ws>', 'workspace file (watched: valid edits reload)')
    .option('--host <host>', 'address to listen on (beyond loopback needs BREAKERBOARD_GATEWAY_KEY)', '127.0.0.1')
    .option('--port <n>', "port (0 picks a free one; default: the workspace's gateway.port, else 8080)")
    .option('--simulate', 'route every backend to its simulated stand-in')
    .option('--port-base <n>', 'with --simulate: first port of the simulated backends (consecutive, as `simulate` takes them); default: free ports')
    .option('--access-log <file>', 'append one JSON line per request to this file')
    .action(async (ws: string, f: GatewayFlags) => {
      const flagPort = f.port === undefined ? undefined : Number(f.port);
      if (flagPort !== undefined && !(Number.isInteger(flagPort) && flagPort >= 0 && flagPort <= 65535)) throw new CliError(`error: --port: must be a port number 0-65535 (got "${f.port}")`, EXIT.usage);
      const portBase = f.portBase === undefined ? undefined : Number(f.portBase);
      if (portBase !== undefined && !(Number.isInteger(portBase) && portBase >= 1 && portBase <= 65535)) throw new CliError(`error: --port-base: must be a port number 1-65535 (got "${f.portBase}")`, EXIT.usage);
      if (portBase !== undefined && !f.simulate) throw new CliError('error: --port-base: only with --simulate (it places the simulated backends)', EXIT.usage);
      const gatewayKey = io.env.BREAKERBOARD_GATEWAY_KEY || undefined;
      if (!isLoopback(f.host) && !gatewayKey) {
        throw new CliError(`error: --host ${f.host} listens beyond loopback: set BREAKERBOARD_GATEWAY_KEY so that only clients with that key can use your backend credentials`);
      }
      const loaded = await requireWorkspace(io, ws);
      // DESIGN §6: without --port the workspace says where its gateway lives, so clients keep one address.
      const port = flagPort ?? loaded.workspace.gateway?.port ?? 8080;
      let sims: SimulatorHandle | undefined;
      let log: WriteStream | undefined;
      let gw: GatewayHandle;
      try {
        if (f.simulate) sims = await startSimulators(loaded.workspace, { portBase });
        if (f.accessLog) {
          log = createWriteStream(resolve(io.cwd, f.accessLog), { flags: 'a' });
          await new Promise<void>((ok, fail) => log!.once('open', () => ok()).once('error', fail));
        }
        const sink = log;
        gw = await startGateway({
          workspace: loaded.workspace,
          workspacePath: loaded.path,
          host: f.host,
          port,
          backendUrls: sims ? Object.fromEntries(Object.entries(sims.backends).map(([id, b]) => [id, b.url])) : undefined,
          simulation: sims,
          secrets: envSecretSource(io.env),
          gatewayKey,
          accessLog: sink ? (l) => sink.write(`${l}\n`) : undefined,
        });
      } catch (e) {
        await sims?.close();
        log?.end();
        const err = e as NodeJS.ErrnoException;
        const why = err.code === 'EADDRINUSE' ? `port ${port} is in use (try --port 0)` : err.message;
        throw new CliError(`error: cannot start the gateway on ${f.host}:${port}: ${why}`);
      }
      // The listening line comes first, whatever else is said (scripts wait for it, some with stderr merged).
      line(io, `gateway listening on ${gw.url}`);
      for (const w of loaded.warnings) errLine(io, `warning: ${w.path}: ${w.message}`);
      if (sims) for (const [id, b] of Object.entries(sims.backends)) line(io, `simulated ${id} on ${b.url}`);
      // Simulated stand-ins take no keys; otherwise a missing secret is worth saying before the first 401.
      if (!sims) for (const w of gw.status().warnings) errLine(io, `warning: ${w}`);
      const unsubscribe = gw.subscribe((e) => {
        if (e.type === 'failover') return; // one per retried request: too chatty for a terminal
        if (e.type === 'config' && !e.ok) for (const err of e.errors ?? []) errLine(io, `error: ${err.path}: ${err.message}`);
        (e.type === 'warning' || (e.type === 'config' && !e.ok) ? errLine : line)(io, describeEvent(e));
      });
      await io.interrupted;
      unsubscribe();
      await gw.close();
      await sims?.close();
      if (log) await new Promise<void>((r) => log!.end(() => r()));
      done(EXIT.ok);
    });
}
