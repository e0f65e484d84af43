import { AuthenticationError, CredentialUnavailableError } from '@azure/identity';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { signInCredential, staticTokenCredential, type IdentityCredentials } from './credential';
import { AZURE_CLI_NOT_FOUND, ApimError } from './errors';

/*
 * The sign-in chain without any Azure: the three @azure/identity credentials it composes are passed in as fakes
 * that record their options and answer as the real ones do (a missing or logged-out CLI throws
 * CredentialUnavailableError with the SDK's own words; the device code credential calls its prompt callback).
 * What is asserted is what the user sees: which step gave the token, and the exact words when none did.
 */

type Kind = 'cli' | 'browser' | 'device';
const fake = {
  built: [] as { kind: string; options: Record<string, unknown> }[],
  answer: {} as Record<string, (options: Record<string, unknown>) => Promise<unknown>>,
};

/** Stand-ins for the three @azure/identity credentials, passed to signInCredential (the mutation run shares one module graph, where vi.mock cannot reach). */
const make = (kind: string) => (options: object): TokenCredential => {
  fake.built.push({ kind, options: options as Record<string, unknown> });
  return {
    getToken: () => {
      const answer = fake.answer[kind];
      if (!answer) throw new Error(`test did not say how ${kind} answers`);
      return answer(options as Record<string, unknown>) as Promise<AccessToken>;
    },
  };
};
const identity: IdentityCredentials = { cli: make('cli'), browser: make('browser'), deviceCode: make('device') };

// The SDK's own words (AzureCliCredential, @azure/identity 4.x).
const CLI_NOT_INSTALLED = "Azure CLI could not be found. Please visit https://aka.ms/azure-cli for installation instructions and then, once installed, authenticate to your Azure account using 'az login'.";
const CLI_LOGIN = "Please run 'az login' from a command prompt to authenticate before using this credential.";
const SCOPE = 'https://management.azure.com/.default';
const HINT = 'run `az login` (or set AZURE_ACCESS_TOKEN to an ARM token)';

const token = (t: string) => async () => ({ token: t, expiresOnTimestamp: 1 });
const unavailable = (message: string) => async () => {
  throw new CredentialUnavailableError(message);
};
function answers(a: Partial<Record<Kind, (options: Record<string, unknown>) => Promise<unknown>>>) {
  fake.answer = a as typeof fake.answer;
}
async function failure(p: Promise<unknown>): Promise<ApimError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApimError);
    return e as ApimError;
  }
  throw new Error('expected sign-in to fail');
}

afterEach(() => {
  fake.built.length = 0;
  fake.answer = {};
  vi.useRealTimers();
});

describe('staticTokenCredential', () => {
  it('answers the token as it is, valid for an hour from now', async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    expect(await staticTokenCredential('abc').getToken(SCOPE)).toEqual({ token: 'abc', expiresOnTimestamp: 1_700_000_000_000 + 3_600_000 });
  });
});

describe('signInCredential: AZURE_ACCESS_TOKEN first', () => {
  it('uses the token trimmed, and builds no other credential', async () => {
    answers({ cli: token('from-cli') });
    expect((await signInCredential({ env: { AZURE_ACCESS_TOKEN: '  tok-1 \n' }, interactive: 'browser' }, identity).getToken(SCOPE))?.token).toBe('tok-1');
    expect(fake.built).toEqual([]);
  });

  it('a blank token is no token: the Azure CLI is asked', async () => {
    answers({ cli: token('from-cli') });
    expect((await signInCredential({ env: { AZURE_ACCESS_TOKEN: '  ' } }, identity).getToken(SCOPE))?.token).toBe('from-cli');
  });
});

describe('signInCredential: the chain', () => {
  it('asks the Azure CLI for the tenant given, and nothing else when it answers', async () => {
    answers({ cli: token('from-cli'), browser: token('from-browser') });
    const t = await signInCredential({ env: {}, tenantId: 'contoso.onmicrosoft.com', interactive: 'browser' }, identity).getToken(SCOPE);
    expect(t?.token).toBe('from-cli');
    expect(fake.built).toEqual([
      { kind: 'cli', options: { tenantId: 'contoso.onmicrosoft.com' } },
      { kind: 'browser', options: { tenantId: 'contoso.onmicrosoft.com' } },
    ]);
  });

  it('desktop: a logged-out CLI passes to the browser, for the same tenant', async () => {
    answers({ cli: unavailable(CLI_LOGIN), browser: token('from-browser') });
    expect((await signInCredential({ env: {}, tenantId: 't1', interactive: 'browser' }, identity).getToken(SCOPE))?.token).toBe('from-browser');
    expect(fake.built.map((b) => b.kind)).toEqual(['cli', 'browser']);
  });

  it('terminal: a missing CLI passes to a device code whose instruction reaches onDeviceCode', async () => {
    const shown: string[] = [];
    answers({
      cli: unavailable(CLI_NOT_INSTALLED),
      device: async (options) => {
        (options.userPromptCallback as (info: object) => void)({ message: 'To sign in, enter the code ABC123 at https://microsoft.com/devicelogin', userCode: 'ABC123', verificationUri: 'https://microsoft.com/devicelogin' });
        return { token: 'from-device', expiresOnTimestamp: 1 };
      },
    });
    const t = await signInCredential({ env: {}, tenantId: 't2', interactive: 'device-code', onDeviceCode: (m) => shown.push(m) }, identity).getToken(SCOPE);
    expect(t?.token).toBe('from-device');
    expect(shown).toEqual(['To sign in, enter the code ABC123 at https://microsoft.com/devicelogin']);
    expect(fake.built.map((b) => b.kind)).toEqual(['cli', 'device']);
    expect(fake.built[1]!.options.tenantId).toBe('t2');
  });

  it('a credential that fails (not merely unavailable) stops the chain with its first line, naming it', async () => {
    answers({ cli: unavailable(CLI_LOGIN), browser: async () => Promise.reject(new AuthenticationError(400, { error: 'access_denied', error_description: 'The user cancelled.\nTrace ID: x' })) });
    const e = await failure(signInCredential({ env: {}, interactive: 'browser' }, identity).getToken(SCOPE));
    expect(e.code).toBe('sign-in');
    expect(e.message).toBe('sign-in with the browser failed: access_denied Status code: 400; sign in with the browser again');
    answers({ cli: async () => Promise.reject(new Error('az exited with 1\nstack')), device: token('never') });
    expect((await failure(signInCredential({ env: {}, interactive: 'device-code' }, identity).getToken(SCOPE))).message).toBe('sign-in with the Azure CLI failed: az exited with 1; run `az login` again');
    // What fixes a failed step is that step again, not the CLI's login.
    answers({ cli: unavailable(CLI_LOGIN), device: async () => Promise.reject(new AuthenticationError(400, { error: 'expired_token', error_description: 'The code expired.' })) });
    expect((await failure(signInCredential({ env: {}, interactive: 'device-code' }, identity).getToken(SCOPE))).message).toBe('sign-in with a device code failed: expired_token Status code: 400; sign in with a new device code');
  });
});

describe('signInCredential: when no step gives a token', () => {
  it('CI, CLI logged out: names what was tried and what to do', async () => {
    answers({ cli: unavailable(CLI_LOGIN) });
    const e = await failure(signInCredential({ env: {}, interactive: 'none' }, identity).getToken(SCOPE));
    expect({ code: e.code, message: e.message }).toEqual({ code: 'sign-in', message: `not signed in to Azure (tried the Azure CLI): ${HINT}` });
  });

  it('CI, CLI not installed: says to install it', async () => {
    answers({ cli: unavailable(CLI_NOT_INSTALLED) });
    expect((await failure(signInCredential({ env: {} }, identity).getToken(SCOPE))).message).toBe(AZURE_CLI_NOT_FOUND);
  });

  it('CLI not installed and the browser unavailable too: lists both and that the CLI is missing', async () => {
    answers({ cli: unavailable(CLI_NOT_INSTALLED), browser: unavailable('no browser') });
    expect((await failure(signInCredential({ env: {}, interactive: 'browser' }, identity).getToken(SCOPE))).message).toBe(`not signed in to Azure (tried the Azure CLI, the browser; Azure CLI not found): ${HINT}`);
  });

  it('CLI logged out and no device code possible: lists both, nothing about a missing CLI', async () => {
    answers({ cli: unavailable(CLI_LOGIN), device: unavailable('no terminal') });
    expect((await failure(signInCredential({ env: {}, interactive: 'device-code' }, identity).getToken(SCOPE))).message).toBe(`not signed in to Azure (tried the Azure CLI, a device code): ${HINT}`);
  });
});
