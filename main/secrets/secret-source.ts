import { secretEnvName } from '../../shared/model/secret-names';

/** Where backend secrets come from at run time. Values never go to files, logs or output. */
export interface SecretSource {
  get(name: string): string | undefined;
}

/** `BREAKERBOARD_SECRET_<NAME>` (DESIGN §1): the CLI's and serve mode's source. */
export function envSecretSource(env: NodeJS.ProcessEnv = process.env): SecretSource {
  return { get: (name) => env[secretEnvName(name)] || undefined };
}

/** Tries each source in order (e.g. the desktop keychain, then the environment). */
export function chainSecretSources(...sources: SecretSource[]): SecretSource {
  return { get: (name) => sources.map((s) => s.get(name)).find((v) => v !== undefined) };
}
