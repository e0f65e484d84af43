import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { accountBody, DEFAULT_ACCOUNTS, deploymentBody, type SeedAccount } from './fixtures';

export * from './fixtures';

/*
 * A local stand-in for Azure Resource Manager's Microsoft.CognitiveServices read paths (discovery only): the
 * subscription list, accounts by subscription, deployments by account, with nextLink paging, bearer-token checks
 * and ARM's error body. Plain http on 127.0.0.1, like test/support/arm-emulator.
 */

export interface CognitiveEmulatorOptions {
  accounts?: SeedAccount[];
  /** Only this bearer token is accepted; otherwise any non-empty one. */
  token?: string;
  /** Items per page (nextLink beyond); small values exercise paging. */
  pageSize?: number;
  /** Subscriptions answered 403 AuthorizationFailed (a subscription the user cannot read). */
  forbidden?: string[];
  port?: number;
}

export interface CognitiveEmulator {
  url: string;
  requests: { method: string; path: string; query: Record<string, string> }[];
  close(): Promise<void>;
}

const ACCOUNTS = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.CognitiveServices\/accounts$/i;
const DEPLOYMENTS = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.CognitiveServices\/accounts\/([^/]+)\/deployments$/i;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'x-ms-request-id': 'emulated' });
  res.end(text);
}

const armError = (code: string, message: string) => ({ error: { code, message } });

export async function startCognitiveEmulator(opts: CognitiveEmulatorOptions = {}): Promise<CognitiveEmulator> {
  const accounts = opts.accounts ?? DEFAULT_ACCOUNTS;
  const pageSize = opts.pageSize ?? 100;
  const requests: CognitiveEmulator['requests'] = [];
  let base = '';

  const page = (res: ServerResponse, path: string, query: Record<string, string>, items: unknown[]) => {
    const skip = Number(query.$skiptoken ?? 0) || 0;
    const more = skip + pageSize < items.length;
    const next = new URLSearchParams({ ...query, $skiptoken: String(skip + pageSize) });
    send(res, 200, { value: items.slice(skip, skip + pageSize), ...(more ? { nextLink: `${base}${path}?${next}` } : {}) });
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const query = Object.fromEntries(url.searchParams);
    const path = url.pathname;
    requests.push({ method: req.method ?? '', path, query });
    const auth = req.headers.authorization ?? '';
    const token = /^Bearer (.+)$/.exec(auth)?.[1];
    if (!token || (opts.token !== undefined && token !== opts.token)) {
      return send(res, 401, armError('AuthenticationFailed', 'Authentication failed. The Authorization header is missing or the token is not valid.'));
    }
    if (req.method !== 'GET') return send(res, 405, armError('MethodNotAllowed', `${req.method} is not served by this emulator (discovery reads only)`));
    if (!query['api-version']) return send(res, 400, armError('MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests."));
    if (/^\/subscriptions$/i.test(path)) {
      const subs = [...new Set(accounts.map((a) => a.subscription))];
      return page(res, path, query, subs.map((s) => ({ id: `/subscriptions/${s}`, subscriptionId: s, displayName: `Subscription ${s.slice(0, 8)}`, tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', state: 'Enabled' })));
    }
    let m = ACCOUNTS.exec(path);
    if (m) {
      const sub = m[1]!;
      if (opts.forbidden?.includes(sub)) return send(res, 403, armError('AuthorizationFailed', `The client does not have authorization to perform action 'Microsoft.CognitiveServices/accounts/read' over scope '/subscriptions/${sub}'.`));
      return page(res, path, query, accounts.filter((a) => a.subscription.toLowerCase() === sub.toLowerCase()).map(accountBody));
    }
    m = DEPLOYMENTS.exec(path);
    if (m) {
      const a = accounts.find((x) => x.subscription.toLowerCase() === m![1]!.toLowerCase() && x.resourceGroup.toLowerCase() === m![2]!.toLowerCase() && x.name.toLowerCase() === m![3]!.toLowerCase());
      if (!a) return send(res, 404, armError('ResourceNotFound', `The Resource 'Microsoft.CognitiveServices/accounts/${m[3]}' under resource group '${m[2]}' was not found.`));
      return page(res, path, query, a.deployments.map((d) => deploymentBody(a, d)));
    }
    send(res, 404, armError('InvalidResourceType', `The resource type could not be found for ${path}.`));
  };

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
