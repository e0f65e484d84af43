import { ApiManagementClient } from '@azure/arm-apimanagement';
import type { TokenCredential } from '@azure/core-auth';
import { bearerTokenAuthenticationPolicyName, createPipelineRequest, type PipelinePolicy } from '@azure/core-rest-pipeline';
import { ApimError, describeArmError } from './errors';

/*
 * The ARM client for one APIM service (TOOLCHAIN "The Azure SDK against a local endpoint"): `endpoint` routes the
 * SDK, `credentialScopes` keeps the ARM audience, and plain http (loopback only) swaps the SDK's bearer policy,
 * which refuses non-TLS URLs, for a header policy of our own.
 */

export const DEFAULT_ENDPOINT = 'https://management.azure.com';

export interface ApimTarget {
  subscription: string;
  resourceGroup: string;
  service: string;
}

export interface RetrySettings {
  maxRetries?: number;
  retryDelayInMs?: number;
  maxRetryDelayInMs?: number;
}

export interface ClientOptions {
  credential: TokenCredential;
  endpoint?: string;
  /** SDK retries (429 with Retry-After, 5xx, dropped connections); tests keep them short. */
  retry?: RetrySettings;
}

export interface ArmConnection {
  sdk: ApiManagementClient;
  endpoint: string;
  /** Plain http to a loopback emulator (raw requests must say so, as the SDK's own do). */
  insecure: boolean;
  /** GET of any ARM path through the same pipeline (subscriptions, resource groups: not in the APIM SDK). */
  getJson: (pathOrUrl: string, what: string) => Promise<unknown>;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|::1)$/i;

/** Validates `--endpoint`: https anywhere, plain http only on this machine. */
export function checkEndpoint(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ApimError(`--endpoint: "${endpoint}" is not a URL (e.g. https://management.azure.com)`, 'input');
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && LOOPBACK.test(url.hostname)) return url;
  if (url.protocol === 'http:') {
    throw new ApimError(`--endpoint: plain http is accepted only for loopback hosts (127.0.0.1, localhost, ::1), not ${url.hostname}: use https`, 'input');
  }
  throw new ApimError(`--endpoint: "${endpoint}" must be an https URL`, 'input');
}

/** ARM's token audience: the management host itself for Azure clouds, public ARM for local emulators. */
export function armScope(url: URL): string {
  if (url.protocol === 'https:' && /^management\./i.test(url.hostname)) return `${url.origin}/.default`;
  return `${DEFAULT_ENDPOINT}/.default`;
}

export function headerAuthPolicy(credential: TokenCredential, scope: string): PipelinePolicy {
  return {
    name: 'breakerboardLoopbackBearer',
    async sendRequest(request, next) {
      const token = await credential.getToken(scope);
      if (!token) throw new ApimError('not signed in to Azure: run `az login` (or set AZURE_ACCESS_TOKEN)', 'sign-in');
      request.headers.set('authorization', `Bearer ${token.token}`);
      return next(request);
    },
  };
}

export function connect(subscription: string, opts: ClientOptions): ArmConnection {
  const url = checkEndpoint(opts.endpoint ?? DEFAULT_ENDPOINT);
  const endpoint = url.origin + url.pathname.replace(/\/$/, '');
  const insecure = url.protocol === 'http:';
  const scope = armScope(url);
  const sdk = new ApiManagementClient(opts.credential, subscription, {
    endpoint,
    credentialScopes: [scope],
    allowInsecureConnection: insecure,
    retryOptions: opts.retry,
  });
  if (insecure) {
    sdk.pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
    sdk.pipeline.addPolicy(headerAuthPolicy(opts.credential, scope), { phase: 'Sign' });
  }
  const getJson = async (pathOrUrl: string, what: string) => {
    const target = /^https?:/.test(pathOrUrl) ? pathOrUrl : `${endpoint}${pathOrUrl}`;
    let res;
    try {
      res = await sdk.sendRequest(createPipelineRequest({ url: target, method: 'GET', allowInsecureConnection: insecure }));
    } catch (e) {
      throw describeArmError(e, what, endpoint);
    }
    if (res.status >= 400) {
      const fake = { statusCode: res.status, request: { url: target }, response: { bodyAsText: res.bodyAsText, headers: { get: (n: string) => res.headers.get(n) } } };
      throw describeArmError(fake, what, endpoint);
    }
    return res.bodyAsText ? (JSON.parse(res.bodyAsText) as unknown) : undefined;
  };
  return { sdk, endpoint, insecure, getJson };
}

/** An SDK call with our wording when it fails; `write` says whether it could have changed something. */
export async function call<T>(what: string, endpoint: string, fn: () => Promise<T>, write = false): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw describeArmError(e, what, endpoint, write);
  }
}

/** Every item of an SDK pager, with our wording when a page fails. */
export async function all<T>(what: string, endpoint: string, iter: AsyncIterable<T>): Promise<T[]> {
  return call(what, endpoint, async () => {
    const out: T[] = [];
    for await (const item of iter) out.push(item);
    return out;
  });
}
