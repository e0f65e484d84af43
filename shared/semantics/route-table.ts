import { durationMs } from '../model/duration';
import type { Backend, BackendAuth, RegionEmission, Workspace } from '../model/schema';
import type { CompiledRule } from './breaker';
import { regionKey } from './carbon';
import { compileOperation, type CompiledOperation } from './operations';
import type { MemberSpec } from './picker';

/*
 * The workspace compiled into an immutable route table (STYLE rule 6): everything the hot path needs, in the shapes
 * it needs, computed once per load. The gateway swaps a whole table atomically on reload.
 */

export interface RouteBackend {
  id: string;
  url: string;
  auth: BackendAuth;
  rule: CompiledRule | undefined;
  /** Identity of the breaker rule: state survives a reload only while this stays equal. */
  ruleKey: string;
  /** `azureRegion` as written (F-ROUTE-7), for status and the Simulate screen's carbon control. */
  region?: string;
}

export interface RouteTarget {
  /** The pool or single backend id the API names. */
  id: string;
  kind: 'pool' | 'single';
  members: readonly MemberSpec[];
  /** Identity of the members list: picker state survives a reload only while this stays equal. */
  membersKey: string;
  /**
   * What the gateway answers when nothing can take the request: a pool's `failureResponse`, a single backend's
   * breaker-rule `failureResponse`, else 503 (F-ROUTE-4, F-ROUTE-5, F-CB-7).
   */
  failureStatus: number;
  /** The cookie of the pool's `sessionAffinity` (F-ROUTE-6), or undefined. */
  affinityCookie: string | undefined;
}

export interface RouteApi {
  id: string;
  /** `/openai` for path `openai`. */
  prefix: string;
  target: RouteTarget;
  retryCount: number;
  retryOn: ReadonlySet<number>;
  /** Time to the response headers (and the longest silence in a body): the API's `timeout`, else the gateway's. */
  responseMs: number;
  /** `stream: true`: chunks pass through as they come (`buffer-response="false"`); else held up to 8 KB (F-STREAM-1). */
  stream: boolean;
  /** Declared operations (F-OPS-1); undefined when the API declares none (every path is served). */
  operations: readonly CompiledOperation[] | undefined;
}

export interface GatewayLimits {
  connectMs: number;
  responseMs: number;
  maxRequestBytes: number;
  retryBufferBytes: number;
}

export interface RouteTable {
  backends: ReadonlyMap<string, RouteBackend>;
  targets: ReadonlyMap<string, RouteTarget>;
  /** Longest prefix first, so the first match wins. */
  apis: readonly RouteApi[];
  limits: GatewayLimits;
  /** `gateway.carbonEmission` by `regionKey` (F-ROUTE-7): the base the router's run-time values overlay. */
  carbonEmission: ReadonlyMap<string, RegionEmission>;
}

/** Defaults of the workspace `gateway:` section (documented in the README). */
export const GATEWAY_DEFAULTS = {
  connect: 'PT5S',
  /** APIM's `forward-request` default (fidelity row F-RETRY-6). */
  response: 'PT300S',
  /** LLM requests are JSON prompts: 32 MiB covers long contexts and image inputs with room to spare. */
  maxRequestBytes: 32 * 1024 * 1024,
  /** Bodies up to this size are kept in memory so a 429 can be retried on another member (B8). */
  retryBufferBytes: 4 * 1024 * 1024,
} as const;

export function compileRule(backend: Backend, speed = 1): CompiledRule | undefined {
  const rule = backend.circuitBreaker?.rules[0];
  if (!rule) return undefined;
  const c = rule.failureCondition;
  return {
    name: rule.name,
    count: c.count,
    percentage: c.percentage,
    intervalMs: durationMs(c.interval) / speed,
    tripMs: durationMs(rule.tripDuration) / speed,
    ranges: c.statusCodeRanges ?? [],
    acceptRetryAfter: rule.acceptRetryAfter ?? false,
  };
}

/** The status APIM answers when no backend can take a request (F-ROUTE-4). */
export const NO_BACKEND_STATUS = 503;

export function compileRoutes(ws: Workspace, opts: { speed?: number; backendUrls?: Record<string, string> } = {}): RouteTable {
  const speed = opts.speed && opts.speed > 0 ? opts.speed : 1;
  const backends = new Map<string, RouteBackend>();
  for (const [id, b] of Object.entries(ws.backends)) {
    const rule = compileRule(b, speed);
    backends.set(id, { id, url: opts.backendUrls?.[id] ?? b.url, auth: b.auth ?? { type: 'none' }, rule, ruleKey: JSON.stringify(rule ?? null), ...(b.azureRegion !== undefined ? { region: b.azureRegion } : {}) });
  }
  const targets = new Map<string, RouteTarget>();
  for (const [id, p] of Object.entries(ws.pools ?? {})) {
    const members = p.services.map((m) => {
      const region = ws.backends[m.backend]?.azureRegion;
      // Carbon fields only when the member has a preference: other pools keep their membersKey (and picker state).
      return m.preferredCarbonEmission === undefined
        ? { backend: m.backend, priority: m.priority, weight: m.weight }
        : { backend: m.backend, priority: m.priority, weight: m.weight, preferredCarbonEmission: m.preferredCarbonEmission, region: region === undefined ? undefined : regionKey(region) };
    });
    const failureStatus = p.failureResponse?.statusCode ?? NO_BACKEND_STATUS;
    targets.set(id, { id, kind: 'pool', members, membersKey: JSON.stringify(members), failureStatus, affinityCookie: p.sessionAffinity?.sessionId.name });
  }
  for (const [id, b] of Object.entries(ws.backends)) {
    const members = [{ backend: id }];
    const failureStatus = b.circuitBreaker?.rules[0]?.failureResponse?.statusCode ?? NO_BACKEND_STATUS;
    targets.set(id, { id, kind: 'single', members, membersKey: JSON.stringify(members), failureStatus, affinityCookie: undefined });
  }
  const g = ws.gateway ?? {};
  const responseMs = durationMs(g.timeouts?.response ?? GATEWAY_DEFAULTS.response);
  const apis: RouteApi[] = Object.entries(ws.apis ?? {}).map(([id, a]) => ({
    id,
    prefix: `/${a.path}`,
    target: targets.get(a.backend)!,
    retryCount: a.retry?.count ?? 0,
    retryOn: new Set(a.retry?.on ?? []),
    responseMs: a.timeout ? durationMs(a.timeout) : responseMs,
    stream: a.stream === true,
    operations: a.operations?.map(compileOperation),
  }));
  apis.sort((a, b) => b.prefix.length - a.prefix.length);
  return {
    backends,
    targets,
    apis,
    limits: {
      connectMs: durationMs(g.timeouts?.connect ?? GATEWAY_DEFAULTS.connect),
      responseMs,
      maxRequestBytes: g.maxRequestBytes ?? GATEWAY_DEFAULTS.maxRequestBytes,
      retryBufferBytes: g.retryBufferBytes ?? GATEWAY_DEFAULTS.retryBufferBytes,
    },
    carbonEmission: new Map(Object.entries(g.carbonEmission ?? {}).map(([region, e]) => [regionKey(region), e])),
  };
}

/**
 * The API serving a request path (longest prefix on a segment boundary), or undefined. `url` is the raw request
 * target (`/openai/deployments/x/chat/completions?api-version=…`); the rest after the prefix is what the backend
 * gets appended to its own URL.
 */
export function matchApi(table: RouteTable, url: string): RouteApi | undefined {
  for (const api of table.apis) {
    if (!url.startsWith(api.prefix)) continue;
    const next = url.charCodeAt(api.prefix.length);
    // end, '/', '?'
    if (Number.isNaN(next) || next === 47 || next === 63) return api;
  }
  return undefined;
}

/** The backend URL's path without its trailing slash, to which the request's remainder is appended. */
export function basePath(url: string): string {
  const p = new URL(url).pathname;
  return p.endsWith('/') ? p.slice(0, -1) : p;
}
