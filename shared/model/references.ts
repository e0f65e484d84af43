import type { Issue } from './paths';
import { formatPath } from './paths';
import { secretEnvName } from './secret-names';
import type { BackendAuth, Workspace } from './schema';

/*
 * Checks that span objects (DESIGN §1, APIM-SEMANTICS §3). They read only the parts of a workspace that name other
 * parts, so they also run on a file whose shapes are partly wrong (see referenceView): the user then gets every
 * error in one pass instead of fixing shapes first and meeting the reference errors on the next run.
 */

/** What the cross-checks read. A valid Workspace is one; referenceView builds one from a partly valid file. */
export interface ReferenceView {
  backends: Record<string, { auth?: BackendAuth }>;
  pools?: Record<string, { services: { backend: string }[] }>;
  apis?: Record<string, { path?: string; backend?: string }>;
  simulation?: Record<string, unknown>;
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const mapOf = (v: unknown): Record<string, unknown> => (isMap(v) ? v : {});
/** Own keys only: an id such as "toString" must not match a property every object inherits. */
const has = (map: object, key: string) => Object.hasOwn(map, key);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The reference-relevant parts of a value that failed the schema. Every id is kept (so existence checks stay
 * right); a field of the wrong type is left out, since the schema already reported it.
 */
export function referenceView(value: unknown): ReferenceView {
  const root = mapOf(value);
  // With backends or pools unreadable, nothing can be said about which ids exist: skip the checks that need it.
  const idsKnown = [root.backends, root.pools].every((v) => v === undefined || isMap(v));
  if (!idsKnown) return { backends: {} };
  const backends: ReferenceView['backends'] = {};
  for (const [id, b] of Object.entries(mapOf(root.backends))) {
    const auth = mapOf(mapOf(b).auth);
    const type = str(auth.type);
    const secret = str(auth.secret);
    if (type === 'api-key' && secret !== undefined) backends[id] = { auth: { type, secret } };
    else if (type === 'managed-identity') backends[id] = { auth: { type, resource: str(auth.resource), clientId: str(auth.clientId) } };
    else backends[id] = {};
  }
  const pools: NonNullable<ReferenceView['pools']> = {};
  for (const [id, p] of Object.entries(mapOf(root.pools))) {
    const services = mapOf(p).services;
    const members = Array.isArray(services) ? services.map((m) => str(mapOf(m).backend)) : [];
    // A member without a readable backend would shift indexes: keep the pool only when all are readable.
    pools[id] = { services: members.every((m) => m !== undefined) ? members.map((backend) => ({ backend: backend! })) : [] };
  }
  const apis: NonNullable<ReferenceView['apis']> = {};
  for (const [id, a] of Object.entries(mapOf(root.apis))) apis[id] = { path: str(mapOf(a).path), backend: str(mapOf(a).backend) };
  return { backends, pools, apis, simulation: mapOf(root.simulation) };
}

export function checkReferences(ws: ReferenceView | Workspace): Issue[] {
  const issues: Issue[] = [];
  const add = (path: (string | number)[], message: string) => issues.push({ path: formatPath(path), message });
  const backends: ReferenceView['backends'] = ws.backends;
  const pools: NonNullable<ReferenceView['pools']> = ws.pools ?? {};

  for (const id of Object.keys(pools)) {
    if (has(backends, id)) add(['pools', id], `id "${id}" is also a backend: backends and pools share one namespace in APIM (service/backends/${id})`);
  }

  for (const [poolId, pool] of Object.entries(pools)) {
    const seen = new Map<string, number>();
    pool.services.forEach((member, i) => {
      const path = ['pools', poolId, 'services', i, 'backend'];
      if (has(pools, member.backend)) add(path, `"${member.backend}" is a pool: APIM does not allow a pool inside a pool`);
      else if (!has(backends, member.backend)) add(path, `backend "${member.backend}" does not exist`);
      const first = seen.get(member.backend);
      if (first !== undefined) add(path, `"${member.backend}" is already a member (services[${first}])`);
      else seen.set(member.backend, i);
    });
    checkManagedIdentity(pool.services.flatMap((m) => (has(backends, m.backend) ? [backends[m.backend]!.auth] : [])), (message) =>
      add(['pools', poolId, 'services'], message),
    );
  }

  const paths = new Map<string, string>();
  for (const [apiId, api] of Object.entries(ws.apis ?? {})) {
    if (api.backend !== undefined && !has(backends, api.backend) && !has(pools, api.backend)) add(['apis', apiId, 'backend'], `no backend or pool named "${api.backend}"`);
    if (api.path === undefined) continue;
    // APIM compares API paths without regard to case.
    const key = api.path.toLowerCase();
    const other = paths.get(key);
    if (other !== undefined) add(['apis', apiId, 'path'], `path "${api.path}" is already used by api "${other}"`);
    else paths.set(key, apiId);
  }

  for (const id of Object.keys(ws.simulation ?? {})) {
    if (!has(backends, id)) add(['simulation', id], `no backend named "${id}" to simulate`);
  }

  const envNames = new Map<string, string>();
  for (const [id, backend] of Object.entries(backends)) {
    if (backend.auth?.type !== 'api-key') continue;
    const env = secretEnvName(backend.auth.secret);
    const owner = envNames.get(env);
    if (owner !== undefined && owner !== backend.auth.secret) {
      add(['backends', id, 'auth', 'secret'], `"${backend.auth.secret}" and "${owner}" both map to the environment variable ${env}; rename one`);
    } else envNames.set(env, backend.auth.secret);
  }
  return issues;
}

/**
 * Managed identity becomes one API-level policy element (DESIGN §1), so a pool's members must all use it, with
 * one resource and client id, or none of them may.
 */
function checkManagedIdentity(auths: (BackendAuth | undefined)[], report: (message: string) => void): void {
  const mi = auths.filter((a) => a?.type === 'managed-identity');
  if (mi.length === 0) return;
  if (mi.length < auths.length) {
    report('members mix managed-identity with other auth types: managed identity is an API-level policy in APIM, so all members of one pool must share it');
    return;
  }
  const settings = new Set(mi.map((a) => `${a.resource ?? ''}\u0000${a.clientId ?? ''}`));
  if (settings.size > 1) report('members use managed identity with different resource or clientId: APIM applies one authentication-managed-identity element per API');
}
