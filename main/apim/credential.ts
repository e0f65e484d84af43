import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { AzureCliCredential, DeviceCodeCredential, InteractiveBrowserCredential, type DeviceCodeCredentialOptions } from '@azure/identity';
import { AZURE_CLI_NOT_FOUND, ApimError, isAzureCliMissing } from './errors';

/*
 * Sign-in, in the order DESIGN §2 gives: a bearer token in AZURE_ACCESS_TOKEN used as it is; else the Azure CLI
 * login; else an interactive browser (desktop) or a device code (terminal). A failure says what to do.
 */

export type Interactive = 'browser' | 'device-code' | 'none';

export interface SignInOptions {
  env: NodeJS.ProcessEnv;
  /** Tenant to sign in to (the CLI's --tenant); default: the account's home tenant. */
  tenantId?: string;
  /** What to try after the Azure CLI: the desktop app uses the browser, a terminal a device code, CI nothing. */
  interactive?: Interactive;
  /** Where the device-code instruction goes (the CLI: stderr). */
  onDeviceCode?: (message: string) => void;
}

/** A fixed token (AZURE_ACCESS_TOKEN, tests). Its expiry is unknown: ARM says 401 when it has run out. */
export function staticTokenCredential(token: string): TokenCredential {
  return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 60 * 60 * 1000 }) };
}

const unavailable = (e: unknown) => ['CredentialUnavailableError'].includes((e as Error)?.name);

/** One way to sign in, and what to do when it fails outright (the browser's failure is not fixed by `az login`). */
type SignInStep = { name: string; credential: TokenCredential; again: string };

/** Tries each credential in turn; a credential that is merely unavailable passes to the next. */
class SignInChain implements TokenCredential {
  constructor(private readonly steps: SignInStep[]) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    const tried: string[] = [];
    let cliMissing = false;
    for (const step of this.steps) {
      try {
        const token = await step.credential.getToken(scopes, options);
        if (token) return token;
      } catch (e) {
        if (!unavailable(e)) throw new ApimError(`sign-in with ${step.name} failed: ${(e as Error).message.split('\n')[0]}; ${step.again}`, 'sign-in');
        cliMissing ||= isAzureCliMissing(e);
      }
      tried.push(step.name);
    }
    if (cliMissing && tried.length === 1) throw new ApimError(AZURE_CLI_NOT_FOUND, 'sign-in');
    throw new ApimError(`not signed in to Azure (tried ${tried.join(', ')}${cliMissing ? '; Azure CLI not found' : ''}): run \`az login\` (or set AZURE_ACCESS_TOKEN to an ARM token)`, 'sign-in');
  }
}

/** The @azure/identity credentials the chain is made of; tests pass stand-ins (no Azure, no module mocking). */
export interface IdentityCredentials {
  cli(options: { tenantId?: string }): TokenCredential;
  browser(options: { tenantId?: string }): TokenCredential;
  deviceCode(options: DeviceCodeCredentialOptions): TokenCredential;
}

const AZURE_IDENTITY: IdentityCredentials = {
  cli: (o) => new AzureCliCredential(o),
  browser: (o) => new InteractiveBrowserCredential(o),
  deviceCode: (o) => new DeviceCodeCredential(o),
};

export function signInCredential(opts: SignInOptions, identity: IdentityCredentials = AZURE_IDENTITY): TokenCredential {
  const token = opts.env.AZURE_ACCESS_TOKEN?.trim();
  if (token) return staticTokenCredential(token);
  const tenantId = opts.tenantId;
  const steps: SignInStep[] = [{ name: 'the Azure CLI', credential: identity.cli({ tenantId }), again: 'run `az login` again' }];
  if (opts.interactive === 'browser') steps.push({ name: 'the browser', credential: identity.browser({ tenantId }), again: 'sign in with the browser again' });
  if (opts.interactive === 'device-code') {
    steps.push({
      name: 'a device code',
      again: 'sign in with a new device code',
      credential: identity.deviceCode({ tenantId, userPromptCallback: (info) => opts.onDeviceCode?.(info.message) }),
    });
  }
  return new SignInChain(steps);
}
