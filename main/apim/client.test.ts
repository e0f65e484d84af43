import { describe, expect, it } from 'vitest';
import { armScope, checkEndpoint } from './client';
import { signInCredential } from './credential';
import { describeArmError, describeSignInError } from './errors';
import { resolveTarget } from './session';

const SUB = '11111111-2222-3333-4444-555555555555';

describe('endpoint, scope and sign-in', () => {
  it('accepts https anywhere and plain http only on loopback', () => {
    expect(checkEndpoint('https://management.usgovcloudapi.net').hostname).toBe('management.usgovcloudapi.net');
    expect(checkEndpoint('http://127.0.0.1:8080').port).toBe('8080');
    expect(checkEndpoint('http://localhost:1').hostname).toBe('localhost');
    expect(checkEndpoint('http://[::1]:1').hostname).toBe('[::1]');
    expect(() => checkEndpoint('http://10.0.0.1')).toThrow(/plain http is accepted only for loopback hosts .* not 10\.0\.0\.1: use https/);
    expect(() => checkEndpoint('ftp://x')).toThrow(/must be an https URL/);
    expect(() => checkEndpoint('nope')).toThrow(/is not a URL/);
  });

  it('asks for an ARM token whatever the endpoint', () => {
    expect(armScope(new URL('https://management.azure.com'))).toBe('https://management.azure.com/.default');
    expect(armScope(new URL('https://management.chinacloudapi.cn'))).toBe('https://management.chinacloudapi.cn/.default');
    expect(armScope(new URL('http://127.0.0.1:9'))).toBe('https://management.azure.com/.default');
  });

  it('uses AZURE_ACCESS_TOKEN as it is', async () => {
    const token = await signInCredential({ env: { AZURE_ACCESS_TOKEN: 'abc' } }).getToken('https://management.azure.com/.default');
    expect(token?.token).toBe('abc');
  });

  it('resolves the target from flags, then the workspace', () => {
    const ws = { subscription: SUB, resourceGroup: 'rg', service: 'svc' };
    expect(resolveTarget({ service: 'other' }, ws)).toEqual({ ...ws, service: 'other', endpoint: 'https://management.azure.com' });
    expect(() => resolveTarget({ subscription: 'x', resourceGroup: 'r', service: 's' })).toThrow(/is not a subscription id/);
  });
});

describe('ARM errors in words', () => {
  const rest = (statusCode: number, body?: unknown) => ({ name: 'RestError', statusCode, response: { bodyAsText: body ? JSON.stringify(body) : undefined, headers: { get: (n: string) => (n === 'retry-after' ? '7' : undefined) } } });
  it.each([
    [401, /run `az login`/],
    [403, /no access to backend 'x'/],
    [404, /backend 'x' was not found \(404\): check --subscription/],
    [412, /changed by someone else since the plan/],
    [429, /throttling requests \(429\), retry after 7 s/],
    [409, /conflict \(409\)/],
  ])('%i', (status, pattern) => {
    expect(describeArmError(rest(status), "backend 'x'").message).toMatch(pattern);
  });

  it("a 409 quotes the service's reason as one sentence", () => {
    const e = describeArmError(rest(409, { error: { code: 'Conflict', message: 'Another operation is in progress.' } }), "pool 'p'");
    expect(e.message).toBe("pool 'p': conflict (409): Another operation is in progress; try again shortly");
  });

  it('quotes the service validation details', () => {
    const e = describeArmError(rest(400, { error: { code: 'ValidationError', message: 'One or more fields contain incorrect values:', details: [{ target: 'url', message: 'Url is not supported for backend pool.' }] } }), "pool 'p'");
    expect(e.message).toBe("APIM rejected pool 'p': One or more fields contain incorrect values: url: Url is not supported for backend pool.");
    const write = describeArmError({ code: 'ECONNRESET' }, "pool 'p'", 'http://127.0.0.1:1', true);
    expect(write.ambiguous).toBe(true);
    expect(write.message).toMatch(/the change may or may not have been made/);
  });

  it('a failed read says it was a read, never "may or may not have been made" (issue 15 item 9)', () => {
    for (const e of [{ code: 'ECONNRESET' }, rest(503, { error: { code: 'ServiceUnavailable', message: 'Try later.' } }), new Error('socket hang up')]) {
      const read = describeArmError(e, 'the subscriptions', 'https://management.azure.com');
      expect(read.ambiguous).toBe(false);
      expect(read.message).not.toMatch(/may or may not/);
    }
    expect(describeArmError({ code: 'ECONNRESET' }, 'the subscriptions', 'https://management.azure.com').message).toMatch(/nothing was changed \(this was a read\)/);
  });

  it('a missing Azure CLI is "Azure CLI not found", whichever way it is reported', () => {
    const missing = Object.assign(new Error("Azure CLI could not be found. Please visit https://aka.ms/azure-cli for installation instructions and then, once installed, authenticate to your Azure account using 'az login'."), { name: 'CredentialUnavailableError' });
    expect(describeArmError(missing, 'the subscriptions').message).toMatch(/^Azure CLI not found/);
    expect(describeSignInError(missing)).toMatchObject({ code: 'sign-in', message: expect.stringMatching(/^Azure CLI not found/) });
    expect(describeSignInError(new Error('boom')).message).toMatch(/^sign-in failed: boom/);
  });
});
