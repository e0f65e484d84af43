/*
 * ARM and sign-in failures in words: what went wrong, with which resource, and what to do. Raw SDK errors carry
 * request objects (and so, for named values, secret values): they never leave this module, only our message.
 */

export type ApimErrorCode =
  | 'sign-in'
  | 'forbidden'
  | 'not-found'
  | 'precondition'
  | 'conflict'
  | 'throttled'
  | 'rejected'
  | 'network'
  | 'input'
  /** The command line itself is incomplete (exit 2). */
  | 'usage'
  | 'service';

export class ApimError extends Error {
  constructor(
    message: string,
    readonly code: ApimErrorCode,
    readonly status?: number,
    /** Whether a write may have landed although it failed (dropped connection, 5xx). */
    readonly ambiguous = false,
    /** For 429: seconds the service asked to wait. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApimError';
  }
}

interface RestLike {
  name?: string;
  statusCode?: number;
  code?: string;
  message?: string;
  details?: unknown;
  request?: { url?: string };
  response?: { headers?: { get?: (n: string) => string | undefined }; bodyAsText?: string | null };
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'REQUEST_SEND_ERROR', 'ESOCKETTIMEDOUT', 'UND_ERR_SOCKET']);

/** `{"error":{"message","details":[{"target","message"}]}}` → "message (target: message; …)". */
function serviceMessage(e: RestLike): string {
  let body: { error?: { message?: string; details?: { target?: string; message?: string }[] } } | undefined;
  try {
    body = e.response?.bodyAsText ? JSON.parse(e.response.bodyAsText) : undefined;
  } catch {
    body = undefined;
  }
  const err = body?.error;
  const details = (err?.details ?? []).map((d) => (d.target ? `${d.target}: ${d.message ?? ''}` : (d.message ?? ''))).filter(Boolean);
  const main = (err?.message ?? e.message ?? '').replace(/:$/, '');
  return details.length > 0 ? `${main}: ${details.join('; ')}` : main;
}

/** Seconds from a 429's Retry-After (seconds or HTTP date); undefined when absent. */
export function retryAfterSeconds(e: unknown): number | undefined {
  const h = (e as RestLike).response?.headers?.get?.('retry-after');
  if (h === undefined || h === null || h === '') return undefined;
  const n = Number(h);
  if (Number.isFinite(n)) return Math.max(0, n);
  const at = Date.parse(h);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - Date.now()) / 1000)) : undefined;
}

/**
 * What a 403 asks for, by the scope of the request: a service's resources need a role on the service; the lists
 * above it (services of a resource group or subscription, resource groups) need read access on that scope.
 */
function roleNeeded(url: string | undefined): string {
  const path = (url ?? '').replace(/^https?:\/\/[^/]+/i, '').split('?')[0]!;
  if (path === '' || /\/providers\/Microsoft\.ApiManagement\/service\/[^/]+/i.test(path)) return 'a role such as "API Management Service Contributor" on the service';
  if (/\/resourceGroups\/[^/]+/i.test(path)) return 'read access (a role such as "Reader") on the resource group';
  return 'read access (a role such as "Reader") on the subscription';
}

const SIGN_IN_HINT = 'run `az login` (or set AZURE_ACCESS_TOKEN to a valid ARM token)';

/** The Azure CLI is not installed (or not on PATH): @azure/identity's words for it, on every platform. */
export const isAzureCliMissing = (e: unknown) => /Azure CLI could not be found|az: (command )?not found|'az' is not recognized/i.test(String((e as Error)?.message ?? ''));

export const AZURE_CLI_NOT_FOUND = 'Azure CLI not found: install it (https://aka.ms/azure-cli) and run `az login`, or sign in with a browser, a device code or AZURE_ACCESS_TOKEN';

/** A failed sign-in (credential errors) in words; never a bare 500. */
export function describeSignInError(e: unknown): ApimError {
  if (e instanceof ApimError) return e;
  if (isAzureCliMissing(e)) return new ApimError(AZURE_CLI_NOT_FOUND, 'sign-in');
  const first = String((e as Error)?.message ?? e).split('\n')[0];
  return new ApimError(`sign-in failed: ${first}; ${SIGN_IN_HINT}`, 'sign-in');
}

/**
 * Any failure while talking to ARM → an ApimError whose message names `what` (e.g. "backend 'x' in service
 * my-apim") and says what to do. `write`: only a write can have "maybe landed"; a failed read says it was a read.
 */
export function describeArmError(e: unknown, what: string, endpoint?: string, write = false): ApimError {
  if (e instanceof ApimError) return e;
  const r = (e ?? {}) as RestLike;
  if (r.name === 'CredentialUnavailableError' || r.name === 'AuthenticationError' || r.name === 'AggregateAuthenticationError') {
    return isAzureCliMissing(e) ? new ApimError(AZURE_CLI_NOT_FOUND, 'sign-in') : new ApimError(`not signed in to Azure: ${SIGN_IN_HINT}`, 'sign-in');
  }
  const status = r.statusCode;
  const svc = status !== undefined ? serviceMessage(r) : '';
  switch (status) {
    case 401:
      return new ApimError(`Azure did not accept the sign-in while reading or writing ${what} (401): ${SIGN_IN_HINT}`, 'sign-in', 401);
    case 403:
      return new ApimError(`no access to ${what} (403 ${r.code ?? 'AuthorizationFailed'}): the signed-in account needs ${roleNeeded(r.request?.url)}`, 'forbidden', 403);
    case 404:
      return new ApimError(`${what} was not found (404): check --subscription, --resource-group and --service`, 'not-found', 404);
    case 409:
      return new ApimError(`${what}: conflict (409): ${(svc || 'another operation is in progress').replace(/\.$/, '')}; try again shortly`, 'conflict', 409);
    case 412:
      return new ApimError(`${what} was changed by someone else since the plan (ETag mismatch, 412); run plan again and review`, 'precondition', 412);
    case 429:
      return new ApimError(`${what}: Azure is throttling requests (429)${retryAfterSeconds(e) !== undefined ? `, retry after ${retryAfterSeconds(e)} s` : ''}`, 'throttled', 429, false, retryAfterSeconds(e));
    case 400:
      return new ApimError(`APIM rejected ${what}: ${svc}`, 'rejected', 400);
    default:
      break;
  }
  const doing = write ? 'writing' : 'reading';
  if (status !== undefined && status >= 500) return new ApimError(`${what}: the service failed while ${doing} it (${status}${svc ? `: ${svc}` : ''})`, 'service', status, write);
  if (status !== undefined) return new ApimError(`${what}: unexpected answer ${status}${svc ? `: ${svc}` : ''}`, 'service', status);
  if (r.code && NETWORK_CODES.has(r.code)) {
    const tail = write ? 'the change may or may not have been made' : 'nothing was changed (this was a read); check the network and try again';
    return new ApimError(`${what}: the connection to ${endpoint ?? 'Azure'} failed (${r.code}); ${tail}`, 'network', undefined, write);
  }
  return new ApimError(`${what}: ${r.message ?? String(e)}`, 'service', undefined, write);
}
