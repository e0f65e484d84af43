import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ArmEmulator } from '../arm-emulator';

/*
 * ARM paths the deployed-service features read, in front of the APIM ARM emulator (test/support/arm-emulator,
 * which stays as it is): everything else is passed through to it. Shapes as documented:
 * - GET {service}/providers/Microsoft.Insights/diagnosticSettings (api-version 2017-05-01-preview, what
 *   @azure/arm-monitor 7 sends): `{ value: [ { id, name, type, properties: { workspaceId, logs: [{ category,
 *   categoryGroup, enabled }], logAnalyticsDestinationType } } ] }`
 * - GET {workspace resource id} (Microsoft.OperationalInsights/workspaces, 2022-10-01): `properties.customerId`
 * - GET {service}/subscriptions (2024-05-01): subscription contracts without keys (keys are never in lists)
 * - POST {service}/subscriptions/{sid}/listSecrets: `{ primaryKey, secondaryKey }`
 */

export interface DiagnosticSettingSeed {
  name: string;
  workspaceResourceId?: string;
  categories: string[];
  destinationType?: 'Dedicated' | 'AzureDiagnostics';
}

export interface ApimSubscriptionSeed {
  sid: string;
  /** Optional in the spec (SubscriptionContractProperties): left out of the answer when not given. */
  displayName?: string;
  scope: string;
  /** Default `active`. */
  state?: string;
  /** Both optional in the spec (SubscriptionKeysContract): left out when not given. */
  primaryKey?: string;
  secondaryKey?: string;
}

export interface DeployedArmOptions {
  arm: ArmEmulator;
  /** Service resource id (any case) → its diagnostic settings. */
  diagnosticSettings?: Record<string, DiagnosticSettingSeed[]>;
  /** Log Analytics workspace resource id → its GUID (customerId). */
  logWorkspaces?: Record<string, string>;
  /** Service resource id → APIM subscriptions. */
  subscriptions?: Record<string, ApimSubscriptionSeed[]>;
}

export interface DeployedArm {
  url: string;
  /** Requests this front answered itself (not passed through). */
  requests: { method: string; path: string; apiVersion: string }[];
  /**
   * The next `times` requests this front answers itself (those whose path includes `pathIncludes`, when given) get
   * `status` with `Retry-After: 0` (a client may retry at once).
   */
  failNext(times: number, status: number, pathIncludes?: string): void;
  close(): Promise<void>;
}

const lower = (s: string) => s.toLowerCase();
const find = <T>(map: Record<string, T> | undefined, key: string) => Object.entries(map ?? {}).find(([k]) => lower(k) === lower(key))?.[1];

export async function startDeployedArm(o: DeployedArmOptions): Promise<DeployedArm> {
  const requests: DeployedArm['requests'] = [];
  const failing: { times: number; status: number; pathIncludes?: string } = { times: 0, status: 503 };
  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ms-request-id': `deployed-${requests.length}` });
    res.end(JSON.stringify(body));
  };
  const own = (method: string, path: string, apiVersion: string): { status: number; body: unknown } | undefined => {
    let m = /^(.*\/providers\/Microsoft\.ApiManagement\/service\/[^/]+)\/providers\/Microsoft\.Insights\/diagnosticSettings$/i.exec(path);
    if (m && method === 'GET') {
      if (apiVersion !== '2017-05-01-preview') return { status: 400, body: { error: { code: 'InvalidApiVersionParameter', message: `api-version ${apiVersion} is not served here` } } };
      const settings = find(o.diagnosticSettings, m[1]!) ?? [];
      return {
        status: 200,
        body: {
          value: settings.map((s) => ({
            id: `${m![1]}/providers/microsoft.insights/diagnosticSettings/${s.name}`,
            name: s.name,
            type: 'Microsoft.Insights/diagnosticSettings',
            properties: {
              ...(s.workspaceResourceId ? { workspaceId: s.workspaceResourceId } : {}),
              logs: s.categories.map((c) => (c === 'allLogs' ? { categoryGroup: 'allLogs', enabled: true } : { category: c, enabled: true })),
              metrics: [],
              ...(s.destinationType ? { logAnalyticsDestinationType: s.destinationType } : {}),
            },
          })),
        },
      };
    }
    m = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.OperationalInsights\/workspaces\/([^/]+)$/i.exec(path);
    if (m && method === 'GET') {
      const customerId = find(o.logWorkspaces, path);
      if (!customerId) return { status: 404, body: { error: { code: 'ResourceNotFound', message: `The Resource 'Microsoft.OperationalInsights/workspaces/${m[1]}' was not found.` } } };
      return { status: 200, body: { id: path, name: m[1], type: 'Microsoft.OperationalInsights/workspaces', location: 'eastus', properties: { customerId, provisioningState: 'Succeeded', retentionInDays: 30 } } };
    }
    m = /^(.*\/providers\/Microsoft\.ApiManagement\/service\/[^/]+)\/subscriptions(?:\/([^/]+)\/(listSecrets))?$/i.exec(path);
    if (m && ((method === 'GET' && !m[3]) || (method === 'POST' && m[3]))) {
      const subs = find(o.subscriptions, m[1]!) ?? [];
      if (!m[3]) {
        const value = subs.map((s) => ({ id: `${m![1]}/subscriptions/${s.sid}`, type: 'Microsoft.ApiManagement/service/subscriptions', name: s.sid, properties: { scope: `${m![1]}${s.scope}`, ...(s.displayName !== undefined ? { displayName: s.displayName } : {}), state: s.state ?? 'active', createdDate: '2026-11-01T00:00:00Z', allowTracing: false } }));
        return { status: 200, body: { value, count: value.length } };
      }
      const s = subs.find((x) => x.sid === decodeURIComponent(m![2]!));
      return s ? { status: 200, body: { ...(s.primaryKey !== undefined ? { primaryKey: s.primaryKey } : {}), ...(s.secondaryKey !== undefined ? { secondaryKey: s.secondaryKey } : {}) } } : { status: 404, body: { error: { code: 'ResourceNotFound', message: 'Subscription not found.' } } };
    }
    return undefined;
  };
  const target = new URL(o.arm.url);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const apiVersion = url.searchParams.get('api-version') ?? '';
    if (!/^Bearer .+/.test(req.headers.authorization ?? '')) return reply(res, 401, { error: { code: 'AuthenticationFailed', message: "Authentication failed. The 'Authorization' header is missing." } });
    const answer = own(req.method ?? 'GET', url.pathname, apiVersion);
    if (answer) {
      requests.push({ method: req.method ?? 'GET', path: url.pathname, apiVersion });
      req.resume();
      if (failing.times > 0 && url.pathname.includes(failing.pathIncludes ?? '')) {
        failing.times--;
        res.setHeader('retry-after', '0');
        return reply(res, failing.status, { error: { code: 'ServiceUnavailable', message: 'The service is temporarily unavailable.' } });
      }
      return reply(res, answer.status, answer.body);
    }
    // Everything else: the APIM ARM emulator, byte for byte.
    const fwd = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    fwd.on('error', (e) => reply(res, 502, { error: { code: 'EmulatorError', message: e.message } }));
    req.pipe(fwd);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    failNext: (times, status, pathIncludes) => Object.assign(failing, { times, status, pathIncludes }),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
