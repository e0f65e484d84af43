import { CredentialUnavailableError } from '@azure/identity';
import type { TokenCredential } from '@azure/core-auth';
import { describe, expect, it } from 'vitest';
import { signInCredential, type IdentityCredentials } from '../main/apim/credential';
import { terminalSignIn } from '../main/cli/deploy-support';
import type { CliIo } from '../main/cli/io';

/*
 * Every command that reaches Azure from a terminal (import, plan, apply, discover, monitor --deployed,
 * capacity --from-deployed, drill --key-from) signs in through terminalSignIn: when the Azure CLI is not signed in,
 * a person at a terminal gets a device code on stderr; a pipe or CI gets the CLI's failure, never a prompt.
 * The identity credentials are stand-ins that answer as @azure/identity's do; no Azure is reached.
 */

function io(isTty: boolean) {
  const err: string[] = [];
  const out: string[] = [];
  const value: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {}, cwd: '/', isTty };
  return { value, err, out };
}

function identity(tenants: (string | undefined)[]): IdentityCredentials {
  const cli = (o: { tenantId?: string }): TokenCredential => {
    tenants.push(o.tenantId);
    return { getToken: async () => Promise.reject(new CredentialUnavailableError("Please run 'az login' from a command prompt to authenticate before using this credential.")) };
  };
  return {
    cli,
    browser: () => ({ getToken: async () => Promise.reject(new Error('a terminal never opens a browser')) }),
    deviceCode: (o) => ({
      getToken: async () => {
        (o as { userPromptCallback?: (i: { message: string }) => void }).userPromptCallback?.({ message: 'To sign in, use a web browser to open https://microsoft.com/devicelogin and enter the code ABC123.' });
        return { token: 'device-token', expiresOnTimestamp: 1 };
      },
    }),
  };
}

describe('signing in from a terminal', () => {
  it('a terminal falls back to a device code, shown on stderr only, for the tenant asked', async () => {
    const t = io(true);
    const tenants: (string | undefined)[] = [];
    const token = await signInCredential(terminalSignIn(t.value, 'contoso.onmicrosoft.com'), identity(tenants)).getToken('https://management.azure.com/.default');
    expect(token?.token).toBe('device-token');
    expect(tenants).toEqual(['contoso.onmicrosoft.com']);
    expect(t.err).toEqual(['To sign in, use a web browser to open https://microsoft.com/devicelogin and enter the code ABC123.\n']);
    expect(t.out).toEqual([]);
  });

  it('without a terminal, the Azure CLI’s failure is the answer: no prompt anyone could see', async () => {
    const t = io(false);
    await expect(signInCredential(terminalSignIn(t.value), identity([])).getToken('https://management.azure.com/.default')).rejects.toThrow(/az login/);
    expect(t.err).toEqual([]);
  });

  it('AZURE_ACCESS_TOKEN wins over any sign-in', async () => {
    const t = io(true);
    t.value.env = { AZURE_ACCESS_TOKEN: ' tok ' };
    expect((await signInCredential(terminalSignIn(t.value), identity([])).getToken('x'))?.token).toBe('tok');
  });
});
