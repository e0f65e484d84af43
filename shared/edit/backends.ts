import { ID_PATTERN, type Backend, type Workspace } from '../model/schema';
import { formatPath } from '../model/paths';
import { done, idTaken, refused, type EditResult, type Use } from './result';

/*
 * Backend edits. Every function is pure: it returns a new workspace sharing the untouched parts, or the same
 * reference when nothing changes, so each call is one undo step and a no-op is none.
 */

/** Every place that names the backend: pool members and apis (shown before a removal or rename). */
export function backendUses(ws: Workspace, id: string): Use[] {
  const uses: Use[] = [];
  for (const [poolId, pool] of Object.entries(ws.pools ?? {})) {
    const i = (pool.services ?? []).findIndex((m) => m.backend === id);
    if (i >= 0) uses.push({ kind: 'pool', id: poolId, path: formatPath(['pools', poolId, 'services', i, 'backend']) });
  }
  for (const [apiId, api] of Object.entries(ws.apis ?? {})) {
    if (api.backend === id) uses.push({ kind: 'api', id: apiId, path: formatPath(['apis', apiId, 'backend']) });
  }
  return uses;
}

/** A message for an id that cannot be used for a new backend or pool, or undefined when it can. */
export function checkNewId(ws: Workspace, id: string): string | undefined {
  if (id.length === 0) return 'enter an id';
  if (id.length > 80) return 'an id is at most 80 characters (APIM resource name limit)';
  if (!ID_PATTERN.test(id)) return 'an id may contain only letters, digits, ".", "_" and "-", and must start with a letter or digit';
  if (idTaken(ws, id)) return `"${id}" is already a backend or pool id (they share one namespace in APIM)`;
  return undefined;
}

export function addBackend(ws: Workspace, id: string, backend: Backend): EditResult {
  const problem = checkNewId(ws, id);
  if (problem) return refused(problem);
  return done({ ...ws, backends: { ...ws.backends, [id]: backend } });
}

/** Replaces fields of a backend; a field given as undefined is removed from the file. */
export function updateBackend(ws: Workspace, id: string, patch: Partial<Backend>): Workspace {
  const current = ws.backends?.[id];
  if (!current) return ws;
  const next: Record<string, unknown> = { ...current };
  let changed = false;
  for (const [key, value] of Object.entries(patch)) {
    if (next[key] === value && (key in next) === (value !== undefined)) continue;
    changed = true;
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  return changed ? { ...ws, backends: { ...ws.backends, [id]: next as Backend } } : ws;
}

/**
 * Removes a backend. Refused while something uses it, with the list; `fromPools: true` also takes it out of the
 * pools that list it (an api pointing at it still refuses: the api would be left without a backend).
 */
export function removeBackend(ws: Workspace, id: string, options: { fromPools?: boolean } = {}): EditResult {
  if (!(id in (ws.backends ?? {}))) return refused(`there is no backend "${id}"`);
  const uses = backendUses(ws, id);
  const apis = uses.filter((u) => u.kind === 'api');
  const pools = uses.filter((u) => u.kind === 'pool');
  if (apis.length > 0 || (pools.length > 0 && !options.fromPools)) {
    const names = uses.map((u) => `${u.kind} "${u.id}"`).join(', ');
    return refused(`"${id}" is used by ${names}: ${apis.length > 0 ? 'point the api elsewhere' : 'remove it from the pools'} first`, uses);
  }
  const { [id]: _removed, ...backends } = ws.backends;
  let next: Workspace = { ...ws, backends };
  if (pools.length > 0) {
    const nextPools = { ...ws.pools };
    for (const u of pools) {
      const pool = nextPools[u.id]!;
      nextPools[u.id] = { ...pool, services: pool.services.filter((m) => m.backend !== id) };
    }
    next = { ...next, pools: nextPools };
  }
  // The simulation profile belongs to the backend: left behind it would be a reference error.
  if (ws.simulation && id in ws.simulation) {
    const { [id]: _sim, ...simulation } = ws.simulation;
    next = { ...next, simulation };
  }
  return done(next);
}

/** Renames a backend and every reference to it (pool members, apis, its simulation profile), keeping key order. */
export function renameBackend(ws: Workspace, from: string, to: string): EditResult {
  if (from === to) return done(ws);
  if (!(from in (ws.backends ?? {}))) return refused(`there is no backend "${from}"`);
  const problem = checkNewId(ws, to);
  if (problem) return refused(problem);
  const renameKey = <T>(map: Record<string, T>): Record<string, T> =>
    Object.fromEntries(Object.entries(map).map(([k, v]) => [k === from ? to : k, v]));
  let next: Workspace = { ...ws, backends: renameKey(ws.backends) };
  if (ws.pools) {
    next.pools = Object.fromEntries(
      Object.entries(ws.pools).map(([pid, p]) => [
        pid,
        p.services.some((m) => m.backend === from) ? { ...p, services: p.services.map((m) => (m.backend === from ? { ...m, backend: to } : m)) } : p,
      ]),
    );
  }
  if (ws.apis) next.apis = Object.fromEntries(Object.entries(ws.apis).map(([aid, a]) => [aid, a.backend === from ? { ...a, backend: to } : a]));
  if (ws.simulation && from in ws.simulation) next = { ...next, simulation: renameKey(ws.simulation) };
  return done(next);
}
