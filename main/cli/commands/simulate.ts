import type { Command } from 'commander';
import { startFaultControl, startSimulators } from '../../simulator';
import { requireWorkspace } from '../require-workspace';
import { CliError, EXIT, line, type CliIo } from '../io';

/*
 * Runs only the simulated backends. Faults are switched through `/_breakerboard/simulation/<id>/fault`, served on
 * every backend's port and on a separate control port (printed last): the control port keeps answering while a
 * backend is in an outage, so `fault <control url> <id> clear` always works.
 */
export function registerSimulate(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('simulate')
    .description('run only the simulated Azure OpenAI backends of a workspace')
    .argument('<ws>', 'workspace file')
    .option('--port-base <n>', 'first port (backends take consecutive ports, the fault control the next); default: free ports')
    .option('--seed <n>', 'seed for latencies and errors (default: each profile\'s, else fixed)')
    .action(async (ws: string, f: { portBase?: string; seed?: string }) => {
      const portBase = f.portBase === undefined ? undefined : Number(f.portBase);
      if (portBase !== undefined && !(Number.isInteger(portBase) && portBase >= 0 && portBase <= 65535)) throw new CliError(`error: --port-base: must be a port number (got "${f.portBase}")`, EXIT.usage);
      const seed = f.seed === undefined ? undefined : Number(f.seed);
      if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0)) throw new CliError(`error: --seed: must be a whole number (got "${f.seed}")`, EXIT.usage);
      const loaded = await requireWorkspace(io, ws);
      const ids = Object.keys(loaded.workspace.backends);
      let sims;
      try {
        sims = await startSimulators(loaded.workspace, { portBase, seed, serveFaultRoutes: true });
      } catch (e) {
        throw new CliError(`error: cannot listen: ${(e as Error).message}`);
      }
      let control;
      try {
        control = await startFaultControl(sims, '127.0.0.1', portBase ? portBase + ids.length : 0);
      } catch (e) {
        await sims.close();
        throw new CliError(`error: cannot listen: ${(e as Error).message}`);
      }
      for (const id of ids) line(io, `simulated ${id} on http://127.0.0.1:${sims.backends[id]!.port}`);
      line(io, `fault control on ${control.url}`);
      await io.interrupted;
      await control.close();
      await sims.close();
      done(EXIT.ok);
    });
}
