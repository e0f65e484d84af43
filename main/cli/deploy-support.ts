import type { Command } from 'commander';
import { ApimError, openSession, type ApimErrorCode, type ArmConnection, type Redact, type ResolvedTarget, type SignInOptions } from '../apim';
import { CliError, EXIT, type CliIo } from './io';

/*
 * What the import, plan and apply commands share: the target flags of DESIGN §2, sign-in for a terminal, and
 * error reporting in words, always through the secret filter. main/apim raises its own typed errors
 * (ApimError with a code); this is the one place they become exit codes.
 */

/** DESIGN §2: 2 for an incomplete command line, 1 for everything about the input or the target. */
export const EXIT_FOR: Record<ApimErrorCode, number> = {
  usage: EXIT.usage,
  input: EXIT.input,
  'sign-in': EXIT.input,
  forbidden: EXIT.input,
  'not-found': EXIT.input,
  precondition: EXIT.input,
  conflict: EXIT.input,
  throttled: EXIT.input,
  rejected: EXIT.input,
  network: EXIT.input,
  service: EXIT.input,
};

export interface DeployFlags {
  subscription?: string;
  resourceGroup?: string;
  service?: string;
  endpoint?: string;
  tenant?: string;
  json?: boolean;
}

export function addTargetOptions(cmd: Command): Command {
  return cmd
    .option('--subscription <id>', 'subscription id (default: the workspace target)')
    .option('--resource-group <name>', 'resource group of the APIM service')
    .option('--service <name>', 'APIM service name')
    .option('--endpoint <url>', 'ARM endpoint (sovereign clouds, tests); plain http only for loopback hosts')
    .option('--tenant <id>', 'Microsoft Entra tenant to sign in to')
    .option('--json', 'print one JSON document');
}

/**
 * How every command signs in from a terminal: AZURE_ACCESS_TOKEN, else the Azure CLI, then a device code when there
 * is a terminal to show it on (its instruction on stderr, so --json output stays one document).
 */
export function terminalSignIn(io: CliIo, tenantId?: string): SignInOptions {
  return { env: io.env, tenantId, interactive: io.isTty ? 'device-code' : 'none', onDeviceCode: (m) => io.stderr(`${m}\n`) };
}

export function terminalSession(io: CliIo, target: ResolvedTarget, flags: DeployFlags): ArmConnection {
  const o = terminalSignIn(io, flags.tenant);
  return openSession(target, { env: o.env, tenant: o.tenantId, interactive: o.interactive, onDeviceCode: o.onDeviceCode });
}

/** Runs a deploy command body; an ApimError becomes `error: …` (exit 1, or 2 for usage), filtered. */
export async function runDeploy(redact: () => Redact, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    if (e instanceof CliError) throw new CliError(redact()(e.message), e.exitCode);
    const message = e instanceof ApimError ? e.message : `${(e as Error).message ?? String(e)}`;
    throw new CliError(redact()(`error: ${message}`), e instanceof ApimError ? EXIT_FOR[e.code] : EXIT.input);
  }
}

/** Output through the secret filter. */
export function filteredIo(io: CliIo, redact: () => Redact) {
  return {
    out: (text: string) => io.stdout(redact()(`${text}\n`)),
    err: (text: string) => io.stderr(redact()(`${text}\n`)),
    json: (value: unknown) => io.stdout(redact()(`${JSON.stringify(value, null, 2)}\n`)),
  };
}
