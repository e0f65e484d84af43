import { createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { ApimError, AZURE_CLI_NOT_FOUND, describeArmError, describeSignInError, isAzureCliMissing, retryAfterSeconds } from './errors';

/*
 * ARM failures in words, each status to its exact message, code, status and "may have landed" flag: apply decides
 * from the code (throttled → wait, precondition → stop) and the user reads the message, so both are behaviour.
 */

const HINT = 'run `az login` (or set AZURE_ACCESS_TOKEN to a valid ARM token)';
const rest = (statusCode: number, body?: unknown, retryAfter?: string) => ({
  name: 'RestError',
  statusCode,
  response: { bodyAsText: body === undefined ? undefined : JSON.stringify(body), headers: { get: (n: string) => (n === 'retry-after' ? retryAfter : undefined) } },
});
const fields = (e: ApimError) => ({ message: e.message, code: e.code, status: e.status, ambiguous: e.ambiguous, retryAfter: e.retryAfter });

describe('describeArmError: each answer to its code and words', () => {
  const what = "backend 'x' in service s";

  it('401, 403, 404 and 412', () => {
    expect(fields(describeArmError(rest(401), what))).toEqual({ message: `Azure did not accept the sign-in while reading or writing ${what} (401): ${HINT}`, code: 'sign-in', status: 401, ambiguous: false, retryAfter: undefined });
    expect(fields(describeArmError(rest(403), what))).toEqual({ message: `no access to ${what} (403 AuthorizationFailed): the signed-in account needs a role such as "API Management Service Contributor" on the service`, code: 'forbidden', status: 403, ambiguous: false, retryAfter: undefined });
    expect(describeArmError({ ...rest(403), code: 'LinkedAuthorizationFailed' }, what).message).toContain('(403 LinkedAuthorizationFailed)');
    expect(fields(describeArmError(rest(404), what))).toEqual({ message: `${what} was not found (404): check --subscription, --resource-group and --service`, code: 'not-found', status: 404, ambiguous: false, retryAfter: undefined });
    expect(fields(describeArmError(rest(412), what, undefined, true))).toEqual({ message: `${what} was changed by someone else since the plan (ETag mismatch, 412); run plan again and review`, code: 'precondition', status: 412, ambiguous: false, retryAfter: undefined });
  });

  it('403 asks for the role that fits the scope of the request (a real RestError from the SDK)', () => {
    const at = (url: string) => describeArmError(new RestError('no role', { statusCode: 403, code: 'AuthorizationFailed', request: createPipelineRequest({ url }) }), what).message;
    const arm = 'https://management.azure.com/subscriptions/s1';
    expect(at(`${arm}/resourceGroups/rg/providers/Microsoft.ApiManagement/service/s/backends/x?api-version=2024-05-01`)).toBe(
      `no access to ${what} (403 AuthorizationFailed): the signed-in account needs a role such as "API Management Service Contributor" on the service`,
    );
    // A list of services (no service name) in a group, ARM's lower-case path spelling, and the group list.
    expect(at(`${arm}/resourcegroups/rg/providers/Microsoft.ApiManagement/service?api-version=2024-05-01`)).toMatch(/needs read access \(a role such as "Reader"\) on the resource group$/);
    expect(at(`${arm}/resourcegroups?api-version=2021-04-01`)).toMatch(/needs read access \(a role such as "Reader"\) on the subscription$/);
    expect(at(`${arm}/providers/Microsoft.ApiManagement/service?api-version=2024-05-01`)).toMatch(/on the subscription$/);
  });

  it('409 without a reason from the service says another operation is in progress', () => {
    expect(fields(describeArmError(rest(409), what))).toEqual({ message: `${what}: conflict (409): another operation is in progress; try again shortly`, code: 'conflict', status: 409, ambiguous: false, retryAfter: undefined });
  });

  it('429 carries the seconds to wait, or none', () => {
    expect(fields(describeArmError(rest(429, undefined, '12'), what))).toEqual({ message: `${what}: Azure is throttling requests (429), retry after 12 s`, code: 'throttled', status: 429, ambiguous: false, retryAfter: 12 });
    expect(fields(describeArmError(rest(429), what))).toEqual({ message: `${what}: Azure is throttling requests (429)`, code: 'throttled', status: 429, ambiguous: false, retryAfter: undefined });
  });

  it('400 quotes the service, details with and without a target', () => {
    const body = { error: { message: 'Bad fields:', details: [{ target: 'url', message: 'wrong' }, { message: 'also wrong' }, { target: 'x' }, {}] } };
    expect(fields(describeArmError(rest(400, body), what))).toEqual({ message: `APIM rejected ${what}: Bad fields: url: wrong; also wrong; x: `, code: 'rejected', status: 400, ambiguous: false, retryAfter: undefined });
    expect(describeArmError(rest(400, { error: { message: 'No details.' } }), what).message).toBe(`APIM rejected ${what}: No details.`);
    // A body that is not JSON: the error's own message.
    const notJson = { statusCode: 400, message: 'raw text', response: { bodyAsText: '<html>' } };
    expect(describeArmError(notJson, what).message).toBe(`APIM rejected ${what}: raw text`);
    expect(describeArmError({ statusCode: 400 }, what).message).toBe(`APIM rejected ${what}: `);
  });

  it('5xx: a write may have landed, a read did not change anything', () => {
    const body = { error: { message: 'Try later.' } };
    expect(fields(describeArmError(rest(503, body), what, undefined, true))).toEqual({ message: `${what}: the service failed while writing it (503: Try later.)`, code: 'service', status: 503, ambiguous: true, retryAfter: undefined });
    expect(fields(describeArmError(rest(500), what))).toEqual({ message: `${what}: the service failed while reading it (500)`, code: 'service', status: 500, ambiguous: false, retryAfter: undefined });
  });

  it('another status is an unexpected answer, never ambiguous', () => {
    expect(fields(describeArmError(rest(418, { error: { message: 'teapot' } }), what, undefined, true))).toEqual({ message: `${what}: unexpected answer 418: teapot`, code: 'service', status: 418, ambiguous: false, retryAfter: undefined });
    expect(describeArmError(rest(302), what).message).toBe(`${what}: unexpected answer 302`);
  });

  it('network failures name the endpoint and the code; an unknown code is the raw message', () => {
    for (const code of ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'REQUEST_SEND_ERROR', 'ESOCKETTIMEDOUT', 'UND_ERR_SOCKET']) {
      expect(fields(describeArmError({ code }, what, 'https://arm.example', true))).toEqual({ message: `${what}: the connection to https://arm.example failed (${code}); the change may or may not have been made`, code: 'network', status: undefined, ambiguous: true, retryAfter: undefined });
    }
    expect(describeArmError({ code: 'ECONNRESET' }, what).message).toBe(`${what}: the connection to Azure failed (ECONNRESET); nothing was changed (this was a read); check the network and try again`);
    expect(fields(describeArmError({ code: 'EWHATEVER', message: 'odd' }, what, 'https://arm.example', true))).toEqual({ message: `${what}: odd`, code: 'service', status: undefined, ambiguous: true, retryAfter: undefined });
    expect(describeArmError('plain text', what).message).toBe(`${what}: plain text`);
    expect(describeArmError(undefined, what).message).toBe(`${what}: undefined`);
  });

  it('credential errors are sign-in errors; an ApimError passes through', () => {
    for (const name of ['CredentialUnavailableError', 'AuthenticationError', 'AggregateAuthenticationError']) {
      expect(fields(describeArmError({ name, message: 'token expired' }, what))).toEqual({ message: `not signed in to Azure: ${HINT}`, code: 'sign-in', status: undefined, ambiguous: false, retryAfter: undefined });
    }
    const own = new ApimError('mine', 'input');
    expect(describeArmError(own, what)).toBe(own);
    expect(describeSignInError(own)).toBe(own);
    expect(own.name).toBe('ApimError');
  });
});

describe('sign-in failures and the missing Azure CLI', () => {
  it('recognises the CLI missing in each platform wording, and nothing else', () => {
    for (const m of ['Azure CLI could not be found.', 'sh: az: not found', 'bash: az: command not found', "'az' is not recognized as an internal or external command"]) {
      expect(isAzureCliMissing(new Error(m)), m).toBe(true);
    }
    for (const m of ['az login needed', 'Azure CLI failed', '']) expect(isAzureCliMissing(new Error(m)), m).toBe(false);
    expect(isAzureCliMissing(undefined)).toBe(false);
    expect(describeSignInError(new Error('Azure CLI could not be found'))).toMatchObject({ message: AZURE_CLI_NOT_FOUND, code: 'sign-in' });
  });

  it('a sign-in failure quotes only the first line of the cause', () => {
    expect(fields(describeSignInError(new Error('expired\nstack trace here')))).toEqual({ message: `sign-in failed: expired; ${HINT}`, code: 'sign-in', status: undefined, ambiguous: false, retryAfter: undefined });
    expect(describeSignInError('no error object').message).toBe(`sign-in failed: no error object; ${HINT}`);
  });
});

describe('retryAfterSeconds', () => {
  const withHeader = (v: string | undefined) => ({ response: { headers: { get: (n: string) => (n === 'retry-after' ? v : undefined) } } });

  it('reads seconds, never negative', () => {
    expect(retryAfterSeconds(withHeader('30'))).toBe(30);
    expect(retryAfterSeconds(withHeader('0'))).toBe(0);
    expect(retryAfterSeconds(withHeader('-5'))).toBe(0);
  });

  it('reads an HTTP date as seconds from now, rounded up; a past date is 0', () => {
    const at = new Date(Date.now() + 90_000).toUTCString();
    // toUTCString drops the milliseconds: between 89 and 90 s ahead, rounded up.
    expect([89, 90]).toContain(retryAfterSeconds(withHeader(at)));
    expect(retryAfterSeconds(withHeader('Thu, 01 Jan 2015 00:00:00 GMT'))).toBe(0);
  });

  it('absent, empty or unreadable is undefined', () => {
    expect(retryAfterSeconds(withHeader(undefined))).toBeUndefined();
    expect(retryAfterSeconds(withHeader(''))).toBeUndefined();
    expect(retryAfterSeconds(withHeader('soon'))).toBeUndefined();
    expect(retryAfterSeconds({})).toBeUndefined();
    expect(retryAfterSeconds({ response: { headers: {} } })).toBeUndefined();
  });
});
