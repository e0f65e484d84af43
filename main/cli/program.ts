import { Command, CommanderError } from 'commander';
import { registerApply } from './commands/apply';
import { registerCapacity } from './commands/capacity';
import { registerCarbon } from './commands/carbon';
import { registerDiscover } from './commands/discover';
import { registerDrill } from './commands/drill';
import { registerExport } from './commands/export';
import { registerFault } from './commands/fault';
import { registerGateway } from './commands/gateway';
import { registerImport } from './commands/import';
import { registerInit } from './commands/init';
import { registerLoad } from './commands/load';
import { registerMonitor } from './commands/monitor';
import { registerPlan } from './commands/plan';
import { registerReset } from './commands/reset';
import { registerServe } from './commands/serve';
import { registerSimulate } from './commands/simulate';
import { registerValidate } from './commands/validate';
import { CliError, EXIT, errLine, type CliIo } from './io';

export type Register = (program: Command, io: CliIo, done: (code: number) => void) => void;

/** Every command, one file each under commands/. Later commands add themselves to this list. */
export const commands: Register[] = [
  // workspace
  registerInit,
  registerValidate,
  registerExport,
  // local engine
  registerGateway,
  registerReset,
  registerSimulate,
  registerFault,
  registerCarbon,
  registerLoad,
  registerDrill,
  registerCapacity,
  registerMonitor,
  // Azure
  registerImport,
  registerPlan,
  registerApply,
  registerDiscover,
  // dashboard
  registerServe,
];

/**
 * Runs one command line and resolves to its exit code: 0 success, 1 input or target wrong, 2 bad usage.
 * Never lets a stack trace reach the user for an expected failure.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('breakerboard')
    .description('Design, deploy and watch Azure API Management backend pools and circuit breakers')
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  for (const register of commands) register(program, io, (code) => (exitCode = code));
  program.commands.forEach((c) => c.exitOverride());
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version') return EXIT.ok;
      return EXIT.usage;
    }
    if (e instanceof CliError) {
      errLine(io, e.message);
      return e.exitCode;
    }
    errLine(io, `error: ${(e as Error).message ?? String(e)}`);
    return EXIT.input;
  }
}
