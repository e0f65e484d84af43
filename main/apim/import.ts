import { apiKeyHeader, memberBackendId, unmodeledFields, type Props } from '../../shared/deploy';
import { COGNITIVE_SERVICES_RESOURCE, DEFAULT_API_KEY_HEADER } from '../../shared/export';
import { servedByExpression } from '../../shared/export/served-by-header';
import { API_PATH_PATTERN, formatPath, ID_PATTERN, operationSchema, validateWorkspace, type Workspace } from '../../shared/model';
import { DEFAULT_ENDPOINT, type ApimTarget, type ArmConnection } from './client';
import { importTokenPolicies } from './policy/token-policy';
import { servedByValue } from './policy/served-by';
import { foreignForwarding, foreignRouting } from './policy/ownership';
import { readWiring, sections } from './policy/wiring';
import { wellFormedProblem } from './policy/xml-scan';
import { policyElementsKeptAside } from './policy-aside';
import { readActualState, type ActualState } from './read-state';

/*
 * APIM → workspace: backends (single and pool), their breaker rules, the named values credentials reference
 * (names only, never values), and each API's wiring read from its policy. What the workspace does not model is
 * listed in `notes` (it stays in APIM: apply is read-modify-write), never silently dropped.
 */

export interface ImportResult {
  workspace: Props;
  notes: string[];
}

const has = (v: unknown) => v !== undefined && v !== null;

function importRules(cb: unknown): Props | undefined {
  const rules = ((cb as Props | undefined)?.rules as Props[] | undefined) ?? [];
  if (rules.length === 0) return undefined;
  return {
    rules: rules.map((r) => {
      const fc = (r.failureCondition ?? {}) as Props;
      const condition: Props = {};
      for (const k of ['count', 'percentage', 'interval', 'statusCodeRanges', 'errorReasons']) if (fc[k] !== undefined && fc[k] !== null) condition[k] = fc[k];
      const rule: Props = { name: r.name, failureCondition: condition, tripDuration: r.tripDuration };
      if (r.acceptRetryAfter !== undefined && r.acceptRetryAfter !== null) rule.acceptRetryAfter = r.acceptRetryAfter;
      const fr = r.failureResponse as Props | null | undefined;
      if (fr && fr.statusCode !== undefined && fr.statusCode !== null) rule.failureResponse = { statusCode: fr.statusCode };
      return rule;
    }),
  };
}

/** A member's backend: its id, or `<service>/<id>` for a full ARM id that names another service (never imported). */
function memberOf(id: unknown, service: string): string {
  const other = /\/service\/([^/]+)\/backends\/[^/]+$/i.exec(String(id))?.[1];
  const backend = memberBackendId(id) ?? String(id);
  return other && other.toLowerCase() !== service.toLowerCase() ? `${other}/${backend}` : backend;
}

function importBackends(actual: ActualState, service: string, notes: string[]): { backends: Record<string, Props>; pools: Record<string, Props> } {
  const backends: Record<string, Props> = {};
  const pools: Record<string, Props> = {};
  const named = new Map([...actual.namedValues.values()].map((n) => [n.displayName, n]));
  for (const b of actual.backends.values()) {
    const p = b.properties;
    const path = `${p.type === 'Pool' ? 'pools' : 'backends'}.${b.id}`;
    if (!ID_PATTERN.test(b.id)) {
      notes.push(`${path}: the id cannot be a workspace id; not imported (kept in APIM)`);
      continue;
    }
    const extra = unmodeledFields(p);
    if (extra.length > 0) notes.push(`${path}: ${extra.join(', ')} not modeled by the workspace; kept in APIM (apply leaves them as they are)`);
    const head: Props = {};
    if (has(p.title)) head.title = p.title;
    if (has(p.description)) head.description = p.description;
    if (p.type === 'Pool') {
      const pool = (p.pool ?? {}) as Props;
      const services = ((pool.services as Props[] | undefined) ?? []).map((s) => {
        const m: Props = { backend: memberOf(s.id, service) };
        if (has(s.priority)) m.priority = s.priority;
        if (has(s.weight)) m.weight = s.weight;
        if (has(s.preferredCarbonEmission)) m.preferredCarbonEmission = s.preferredCarbonEmission;
        return m;
      });
      const entry: Props = { ...head, services };
      const fr = pool.failureResponse as Props | null | undefined;
      if (fr && has(fr.statusCode)) entry.failureResponse = { statusCode: fr.statusCode };
      const sid = (pool.sessionAffinity as { sessionId?: Props } | null | undefined)?.sessionId;
      // The docs' example writes `Cookie`; the enum is `cookie` (modelAsString): the workspace says `cookie` (apply keeps APIM's spelling).
      if (sid && has(sid.name) && sid.name !== '') entry.sessionAffinity = { sessionId: { source: String(sid.source ?? 'cookie').toLowerCase(), name: sid.name } };
      else if (sid) notes.push(`${path}.sessionAffinity: a session id without a cookie name is not modeled by the workspace; kept in APIM (apply leaves it as it is)`);
      pools[b.id] = entry;
      continue;
    }
    if (typeof p.url !== 'string' || !/^https?:\/\//i.test(p.url)) {
      notes.push(`${path}: url ${JSON.stringify(p.url)} is not an http(s) URL (Service Fabric?); not imported (kept in APIM; --prune would delete it)`);
      continue;
    }
    const single: Props = { ...head, url: p.url };
    if (has(p.azureRegion)) single.azureRegion = p.azureRegion;
    const key = apiKeyHeader(p.credentials);
    if (key) {
      // The header as APIM spells it (`Api-Key` stays `Api-Key`), so a plan after import changes nothing.
      single.auth = { type: 'api-key', secret: key.secret, ...(key.header !== DEFAULT_API_KEY_HEADER ? { header: key.header } : {}) };
      if (!named.has(key.secret)) notes.push(`${path}.auth: named value '${key.secret}' is referenced but not in APIM`);
      else if (!named.get(key.secret)!.secret) notes.push(`${path}.auth: named value '${key.secret}' is not marked secret in APIM; apply marks it secret when the value is available locally`);
    }
    const cb = importRules(p.circuitBreaker);
    if (cb) single.circuitBreaker = cb;
    backends[b.id] = single;
  }
  keepCompletePools(backends, pools, notes);
  return { backends, pools };
}

/**
 * Pool members name their backends as ARM does, whatever the case (`/backends/ALPHA` is backend `alpha`): each is
 * written with the imported backend's id. A pool with a member that was not imported is left out, with a note:
 * the workspace would not validate, and the simulation cannot route to it (the pool stays in APIM as it is).
 */
function keepCompletePools(backends: Record<string, Props>, pools: Record<string, Props>, notes: string[]): void {
  const byLower = new Map(Object.keys(backends).map((id) => [id.toLowerCase(), id]));
  for (const [id, pool] of Object.entries(pools)) {
    const services = pool.services as Props[];
    const missing = services.map((m) => String(m.backend)).filter((b) => !byLower.has(b.toLowerCase()));
    if (missing.length > 0) {
      notes.push(`pools.${id}: member ${missing.map((m) => `'${m}'`).join(', ')} was not imported; the pool is not imported either (kept in APIM as it is; --prune would delete it)`);
      delete pools[id];
      continue;
    }
    for (const m of services) m.backend = byLower.get(String(m.backend).toLowerCase());
  }
}

function importApis(actual: ActualState, backends: Record<string, Props>, pools: Record<string, Props>, notes: string[]): Record<string, Props> {
  const apis: Record<string, Props> = {};
  for (const api of actual.apis.values()) {
    const path = `apis.${api.id}`;
    const unreadable = api.policy ? wellFormedProblem(api.policy.xml) : undefined;
    if (unreadable) {
      notes.push(`${path}: its policy is not well-formed XML as Breakerboard reads it: ${unreadable}; not imported (its wiring could be misread), and apply leaves it alone`);
      continue;
    }
    const read = api.policy ? sections(api.policy.xml) : undefined;
    const routing = read && foreignRouting(api.policy!.xml, read);
    if (routing) {
      notes.push(`${path}: not imported: ${routing}`);
      continue;
    }
    const forwarding = read && foreignForwarding(api.policy!.xml, read);
    if (forwarding) notes.push(`${path}: apply can change its retry and forward-request only after this is resolved: ${forwarding}`);
    const aside = api.policy ? policyElementsKeptAside(api.policy.xml) : [];
    if (aside.length > 0) notes.push(`${path}: policy elements not modeled by the workspace, kept in APIM as they are (apply rewrites only set-backend-service, its retry and forward-request, the Azure OpenAI managed identity, the token limit and token metric policies, its own on-error block and its served-by header): ${aside.join('; ')}`);
    const w = api.policy ? readWiring(api.policy.xml) : {};
    if (!w.backendId || (!backends[w.backendId] && !pools[w.backendId])) {
      notes.push(`${path}: ${w.backendId ? `routes to '${w.backendId}', which was not imported` : api.policy ? 'has no set-backend-service backend-id' : 'has no policy'}; not imported`);
      continue;
    }
    if (!ID_PATTERN.test(api.id) || !API_PATH_PATTERN.test(api.path)) {
      notes.push(`${path}: id or path '${api.path}' cannot be written in a workspace; not imported`);
      continue;
    }
    const entry: Props = { path: api.path, backend: w.backendId };
    if (w.retry) {
      if (Number.isNaN(w.retry.count)) notes.push(`${path}.retry: count "${w.retry.countText}" is not a number; not imported (apply would remove the <retry>)`);
      else {
        entry.retry = { count: w.retry.count, on: w.retry.on ?? [429, 503] };
        if (!w.retry.on) notes.push(`${path}.retry: condition "${w.retry.condition}" is not a list of status codes; the workspace says [429, 503] and apply would replace it`);
        if (!w.retry.atOnce) notes.push(`${path}.retry: waits between tries (${w.retry.timing || 'no interval'}); Breakerboard rehearses tries at once and apply writes interval="0" first-fast-retry="true" (F-RETRY-1)`);
      }
    }
    // The forward-request's timeout and response buffering are the API's `timeout` and `stream` (F-RETRY-6, F-STREAM-1).
    if (w.timeout) entry.timeout = w.timeout;
    else if (w.timeoutText) notes.push(`${path}.timeout: forward-request ${w.timeoutText} is not a number; not imported (apply keeps it while the workspace sets no timeout)`);
    if (w.stream) entry.stream = true;
    // Declared operations make the local gateway answer 404 OperationNotFound for other paths, as APIM does (F-OPS-1).
    // All or none: a partial list would refuse paths the service serves.
    const ops = api.operations ?? [];
    const bad = ops.filter((o) => !operationSchema.safeParse(o).success);
    if (ops.length > 0 && bad.length === 0) entry.operations = ops;
    else if (bad.length > 0) notes.push(`${path}.operations: '${bad[0]!.method} ${bad[0]!.urlTemplate}' cannot be written in a workspace; no operations imported (the local gateway serves every path)`);
    if (w.managedIdentity) {
      const members = pools[w.backendId] ? ((pools[w.backendId]!.services as Props[]).map((m) => String(m.backend))) : [w.backendId];
      const mi: Props = { type: 'managed-identity' };
      if (w.managedIdentity.resource.replace(/\/$/, '') !== COGNITIVE_SERVICES_RESOURCE) mi.resource = w.managedIdentity.resource;
      if (w.managedIdentity.clientId) mi.clientId = w.managedIdentity.clientId;
      for (const id of members) {
        const b = backends[id];
        const auth = b?.auth as Props | undefined;
        if (b && auth === undefined) b.auth = mi;
        else if (auth && auth.type !== 'managed-identity') notes.push(`${path}: the policy signs in with managed identity, but backend '${id}' uses an api key; apply would remove the managed-identity element`);
        // A second API signing in to the same backend the same way says nothing new.
        else if (auth && JSON.stringify(auth) !== JSON.stringify(mi)) notes.push(`${path}: the policy signs in with another managed identity than an earlier API's policy for backend '${id}'; the workspace keeps the earlier one`);
      }
    }
    if (w.servedBy) {
      entry.servedByHeader = w.servedBy.header;
      if (w.servedBy.count > 1) notes.push(`${path}.servedByHeader: ${w.servedBy.count} served-by set-header elements in <outbound>; the first is imported and apply keeps only it`);
      // The value is derived from the backends: one edited by hand, or written for other URLs, is rewritten by apply.
      const derived = servedByExpression({ backends, pools, apis: { [api.id]: entry } } as unknown as Workspace, api.id);
      if (w.servedBy.value !== servedByValue(derived)) notes.push(`${path}.servedByHeader: its value in APIM is not the mapping of this API's backends to their URLs; apply would rewrite it`);
    }
    Object.assign(entry, importTokenPolicies(api.policy!.xml, path, notes));
    apis[api.id] = entry;
  }
  return apis;
}

export async function importService(conn: ArmConnection, t: ApimTarget): Promise<ImportResult> {
  const actual = await readActualState(conn, t, 'all');
  const notes: string[] = [];
  const { backends, pools } = importBackends(actual, t.service, notes);
  const apis = importApis(actual, backends, pools, notes);
  const workspace: Props = { version: 1, backends };
  if (Object.keys(pools).length > 0) workspace.pools = pools;
  if (Object.keys(apis).length > 0) workspace.apis = apis;
  workspace.target = { subscription: t.subscription, resourceGroup: t.resourceGroup, service: t.service, ...(conn.endpoint !== DEFAULT_ENDPOINT ? { endpoint: conn.endpoint } : {}) };
  leaveOutInvalid(workspace, notes);
  return { workspace, notes };
}

const ENTITY_KINDS = ['backends', 'pools', 'apis'] as const;

/**
 * The last guard: what the service holds but the workspace cannot (a breaker rule without a name, an id over 80
 * characters, two named values that share an environment variable, pool members whose sign-in differs…) never makes
 * an import the app refuses to open. Each backend, pool or API a validation error names is left out with the error
 * as a note — left out, not changed: apply leaves APIM's copy as it is (unless --prune) — until the rest validates (leaving a backend
 * out can leave a pool or an API without its target, named in the next round).
 */
function leaveOutInvalid(workspace: Props, notes: string[]): void {
  const entities = ENTITY_KINDS.flatMap((kind) => Object.keys((workspace[kind] as Props | undefined) ?? {}).map((id) => ({ kind, id, path: formatPath([kind, id]) })));
  for (let round = 0; round <= entities.length; round += 1) {
    const r = validateWorkspace(workspace);
    if (r.ok) return;
    const errorsOf = (e: (typeof entities)[number]) => r.errors.filter((x) => x.path === e.path || x.path.startsWith(`${e.path}.`) || x.path.startsWith(`${e.path}[`));
    const named = entities.filter((e) => (workspace[e.kind] as Props | undefined)?.[e.id] !== undefined && errorsOf(e).length > 0);
    if (named.length === 0) return;
    for (const e of named) {
      const why = errorsOf(e).map((x) => `${x.path}: ${x.message}`);
      notes.push(`${e.path}: not imported, the workspace cannot hold it as APIM has it (${why.join('; ')}); kept in APIM as it is${e.kind === 'apis' ? '' : ' (--prune would delete it)'}`);
      delete (workspace[e.kind] as Props)[e.id];
    }
    for (const kind of ENTITY_KINDS) if (kind !== 'backends' && workspace[kind] && Object.keys(workspace[kind] as Props).length === 0) delete workspace[kind];
  }
}
