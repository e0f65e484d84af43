import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Faults } from './faults';
import { armError, serviceChild, type Reply } from './routes';
import type { Detail } from './rejections';
import { ArmState } from './state';

export { ArmState } from './state';
export { Faults } from './faults';
export type { Detail } from './rejections';

/*
 * A local stand-in for Azure Resource Manager with the APIM paths Breakerboard uses, on 127.0.0.1 over plain
 * http. Stateful, ETag-checked, spec-validated (test/support/apim-spec.ts), with APIM's own rejections and
 * injectable faults. Tests start it in-process; UI tests run it as a process (standalone.ts).
 */

export const APIM_API_VERSION = '2024-05-01';
/** Backends also answer at the preview version that adds pool failureResponse, sessionAffinity, azureRegion, … */
export const APIM_PREVIEW_API_VERSION = '2025-03-01-preview';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  ifMatch?: string;
  /** The parsed JSON body, exactly as the client sent it. */
  body?: unknown;
  status: number;
  /** The ETag the addressed resource had when the request arrived (undefined: it did not exist). */
  etagAtReceipt?: string;
}

export interface ArmEmulatorOptions {
  port?: number;
  /** When set, only this bearer token is accepted; otherwise any non-empty bearer token. */
  token?: string;
  /** Items per page of every list (nextLink beyond); small values exercise paging. */
  pageSize?: number;
  /** A cloud without 2025-03-01-preview (sovereign clouds lag): that version is refused everywhere. */
  noPreview?: boolean;
  /** Seeds a subscription, resource group and service (with no resources): the usual test setup. */
  seed?: { subscription: string; resourceGroup: string; service: string };
}

export interface ArmEmulator {
  url: string;
  state: ArmState;
  faults: Faults;
  /** Every request, in order. */
  requests: RecordedRequest[];
  /** Bodies that failed the spec (a correct client leaves this empty). */
  specErrors: { path: string; details: Detail[] }[];
  /** Fields a write carried that the spec of its api-version does not name, stored as sent (they were in the resource already). */
  unvalidated: { path: string; fields: string[] }[];
  /** Writes only (PUT/PATCH/DELETE/POST except listValue). */
  writes: () => RecordedRequest[];
  close: () => Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const SERVICE_PATH = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ApiManagement\/service\/([^/]+)(?:\/(.*))?$/i;

export async function startArmEmulator(opts: ArmEmulatorOptions = {}): Promise<ArmEmulator> {
  const state = new ArmState();
  const faults = new Faults();
  const requests: RecordedRequest[] = [];
  const specErrors: ArmEmulator['specErrors'] = [];
  const unvalidated: ArmEmulator['unvalidated'] = [];
  const pageSize = opts.pageSize ?? 100;
  if (opts.seed) state.addService(opts.seed.subscription, opts.seed.resourceGroup, opts.seed.service);
  let base = '';

  /** The ETag of the resource a path addresses (backend, named value, API policy), for If-Match assertions. */
  const etagAt = (path: string): string | undefined => {
    const m = SERVICE_PATH.exec(path);
    const svc = m ? state.findService(m[1]!, m[2]!, m[3]!) : undefined;
    const rest = (m?.[4] ?? '').split('/').map(decodeURIComponent);
    if (!svc) return undefined;
    if (/^backends$/i.test(rest[0] ?? '')) return svc.backends.get(rest[1] ?? '')?.etag;
    if (/^namedValues$/i.test(rest[0] ?? '')) return svc.namedValues.get(rest[1] ?? '')?.etag;
    if (/^apis$/i.test(rest[0] ?? '') && rest[2] === 'policies') return svc.apis.get(rest[1] ?? '')?.policy?.etag;
    return undefined;
  };

  const page = (path: string, query: Record<string, string>) => (items: unknown[]): Reply => {
    const skip = Number(query.$skip ?? 0) || 0;
    const slice = items.slice(skip, skip + pageSize);
    const more = skip + pageSize < items.length;
    const next = new URLSearchParams({ ...query, $skip: String(skip + pageSize) });
    return { status: 200, body: { value: slice, count: items.length, ...(more ? { nextLink: `${base}${path}?${next}` } : {}) } };
  };

  function route(method: string, path: string, query: Record<string, string>, body: unknown, ifMatch: string | undefined): Reply {
    if (method === 'GET' && /^\/subscriptions\/?$/i.test(path)) {
      return page(path, query)(state.subscriptions.map((s) => ({ id: `/subscriptions/${s.subscriptionId}`, ...s, state: 'Enabled' })));
    }
    let m = /^\/subscriptions\/([^/]+)\/resourcegroups\/?$/i.exec(path);
    if (m && method === 'GET') {
      const rgs = state.resourceGroups.get(m[1]!) ?? [];
      return page(path, query)(rgs.map((n) => ({ id: `/subscriptions/${m![1]}/resourceGroups/${n}`, name: n, type: 'Microsoft.Resources/resourceGroups', location: 'eastus', properties: { provisioningState: 'Succeeded' } })));
    }
    const serviceBody = (s: (typeof state.services)[number]) => ({
      id: `/subscriptions/${s.subscription}/resourceGroups/${s.resourceGroup}/providers/Microsoft.ApiManagement/service/${s.name}`,
      name: s.name,
      type: 'Microsoft.ApiManagement/service',
      location: s.location,
      sku: { name: s.sku, capacity: s.sku === 'Consumption' ? 0 : 1 },
      properties: { publisherEmail: 'admin@contoso.com', publisherName: 'Contoso', gatewayUrl: `https://${s.name}.azure-api.net`, provisioningState: 'Succeeded' },
    });
    m = /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?\/providers\/Microsoft\.ApiManagement\/service\/?$/i.exec(path);
    if (m && method === 'GET') {
      if (query['api-version'] !== APIM_API_VERSION) return armError(400, 'InvalidApiVersionParameter', `The api-version '${query['api-version']}' is invalid.`);
      const eq = (a: string, b: string | undefined) => b === undefined || a.toLowerCase() === b.toLowerCase();
      return page(path, query)(state.services.filter((s) => eq(s.subscription, m![1]) && eq(s.resourceGroup, m![2])).map(serviceBody));
    }
    m = SERVICE_PATH.exec(path);
    if (!m) return armError(404, 'NotFound', `The emulator does not serve ${method} ${path}.`);
    const preview = !opts.noPreview && query['api-version'] === APIM_PREVIEW_API_VERSION && /^backends\//i.test(m[4] ?? '');
    if (query['api-version'] !== APIM_API_VERSION && !preview) return armError(400, 'InvalidApiVersionParameter', `The api-version '${query['api-version']}' is invalid; this emulator speaks ${APIM_API_VERSION} (and ${APIM_PREVIEW_API_VERSION} for backends).`);
    const svc = state.findService(m[1]!, m[2]!, m[3]!);
    if (!svc) return armError(404, 'ResourceNotFound', `The Resource 'Microsoft.ApiManagement/service/${m[3]}' under resource group '${m[2]}' was not found.`);
    if (!m[4]) return method === 'GET' ? { status: 200, body: serviceBody(svc) } : armError(405, 'MethodNotAllowed', 'Method not allowed.');
    const serviceId = serviceBody(svc).id;
    return serviceChild(state, svc, {
      method,
      rest: m[4].split('/').map(decodeURIComponent),
      body,
      ifMatch,
      serviceId,
      page: page(path, query),
      apiVersion: query['api-version']!,
      onSpecError: (details) => specErrors.push({ path, details }),
      onUnvalidated: (fields) => unvalidated.push({ path, fields }),
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    const method = req.method ?? 'GET';
    const query = Object.fromEntries(url.searchParams);
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const ifMatch = req.headers['if-match'] as string | undefined;
    const record: RecordedRequest = { method, path: url.pathname, query, ifMatch, body, status: 0, etagAtReceipt: etagAt(url.pathname) };
    requests.push(record);
    const send = (reply: Reply) => {
      record.status = reply.status;
      const headers: Record<string, string> = { 'x-ms-request-id': `req-${requests.length}`, ...(reply.headers ?? {}) };
      if (reply.body !== undefined && method !== 'HEAD') headers['content-type'] = 'application/json; charset=utf-8';
      res.writeHead(reply.status, headers);
      res.end(reply.body !== undefined && method !== 'HEAD' ? JSON.stringify(reply.body) : undefined);
    };
    const auth = req.headers.authorization ?? '';
    const token = /^Bearer (.+)$/.exec(auth)?.[1];
    if (!token || (opts.token !== undefined && token !== opts.token)) {
      return send(armError(401, token ? 'InvalidAuthenticationToken' : 'AuthenticationFailed', token ? 'The access token is invalid.' : "Authentication failed. The 'Authorization' header is missing."));
    }
    const fault = faults.match(method, url.pathname);
    if (fault?.kind === 'drop' && fault.when === 'before') {
      record.status = -1;
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      const reply = armError(fault.status, fault.code ?? 'Error', fault.message ?? `Injected ${fault.status}.`);
      if (fault.retryAfter !== undefined) reply.headers = { 'retry-after': String(fault.retryAfter) };
      return send(reply);
    }
    const reply = route(method, url.pathname, query, body, ifMatch);
    if (fault?.kind === 'drop') {
      record.status = -1;
      req.socket.destroy();
      return;
    }
    send(reply);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'EmulatorError', message: (e as Error).message } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    state,
    faults,
    requests,
    specErrors,
    unvalidated,
    writes: () => requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD' && !/\/listValue$/i.test(r.path)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
