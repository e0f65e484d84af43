import type { Issue } from './paths';
import { formatPath } from './paths';
import { secretEnvName } from './secret-names';
import type { Workspace } from './schema';

/*
 * Checks that span objects (DESIGN §1, APIM-SEMANTICS §3): run on a schema-valid workspace, so that the messages
 * talk about ids the user wrote rather than about broken shapes.
 */
export function checkReferences(ws: Workspace): Issue[] {
  const issues: Issue[] = [];
  const add = (path: (string | number)[], message: string) => issues.push({ path: formatPath(path), message });
  const backends = ws.backends;
  const pools = ws.pools ?? {};

  for (const id of Object.keys(pools)) {
    if (id in backends) add(['pools', id], `id "${id}" is also a backend: backends and pools share one namespace in APIM (service/backends/${id})`);
  }

  for (const [poolId, pool] of Object.entries(pools)) {
    const seen = new Map<string, number>();
    pool.services.forEach((member, i) => {
      const path = ['pools', poolId, 'services', i, 'backend'];
      if (member.backend in pools) add(path, `"${member.backend}" is a pool: APIM does not allow a pool inside a pool`);
      else if (!(member.backend in backends)) add(path, `backend "${member.backend}" does not exist`);
      const first = seen.get(member.backend);
      if (first !== undefined) add(path, `"${member.backend}" is already a member (services[${first}])`);
      else seen.set(member.backend, i);
    });
    const authTypes = new Set(pool.services.map((m) => backends[m.backend]?.auth?.type ?? 'none').filter(Boolean));
    if (authTypes.has('managed-identity') && authTypes.size > 1) {
      add(['pools', poolId, 'services'], 'members mix managed-identity with other auth types: managed identity is an API-level policy in APIM, so all members of one pool must share it');
    }
  }

  const apis = ws.apis ?? {};
  const paths = new Map<string, string>();
  for (const [apiId, api] of Object.entries(apis)) {
    if (!(api.backend in backends) && !(api.backend in pools)) add(['apis', apiId, 'backend'], `no backend or pool named "${api.backend}"`);
    const key = api.path.toLowerCase();
    const other = paths.get(key);
    if (other) add(['apis', apiId, 'path'], `path "${api.path}" is already used by api "${other}"`);
    else paths.set(key, apiId);
  }

  for (const id of Object.keys(ws.simulation ?? {})) {
    if (!(id in backends)) add(['simulation', id], `no backend named "${id}" to simulate`);
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
