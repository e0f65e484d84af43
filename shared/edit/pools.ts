import { formatPath } from '../model/paths';
import type { Pool, PoolMember, Workspace } from '../model/schema';
import { checkNewId } from './backends';
import { lanesOf, neighbourLane, priorityOf } from './lanes';
import { done, refused, type EditResult, type Use } from './result';

/*
 * Pool edits (pure; same reference back when nothing changes). Members are addressed by backend id: a backend
 * listed twice in one pool is already a validation error, and the first listing is the one edited.
 */

/** APIM's limit on members per pool. */
export const MAX_POOL_MEMBERS = 30;

export function poolUses(ws: Workspace, id: string): Use[] {
  return Object.entries(ws.apis ?? {})
    .filter(([, api]) => api.backend === id)
    .map(([apiId]) => ({ kind: 'api' as const, id: apiId, path: formatPath(['apis', apiId, 'backend']) }));
}

/** New pool; each listed backend becomes a member of priority 1, weight 1 (one lane, even shares). */
export function addPool(ws: Workspace, id: string, members: readonly string[] = [], description?: string): EditResult {
  const problem = checkNewId(ws, id);
  if (problem) return refused(problem);
  const missing = members.filter((b) => !(b in (ws.backends ?? {})));
  if (missing.length > 0) return refused(`no backend named ${missing.map((m) => `"${m}"`).join(', ')}`);
  const pool: Pool = { ...(description ? { description } : {}), services: [...new Set(members)].map((backend) => ({ backend, priority: 1, weight: 1 })) };
  return done({ ...ws, pools: { ...ws.pools, [id]: pool } });
}

export function removePool(ws: Workspace, id: string): EditResult {
  if (!ws.pools || !(id in ws.pools)) return refused(`there is no pool "${id}"`);
  const uses = poolUses(ws, id);
  if (uses.length > 0) return refused(`"${id}" serves ${uses.map((u) => `api "${u.id}"`).join(', ')}: point the api elsewhere first`, uses);
  const { [id]: _removed, ...pools } = ws.pools;
  return done({ ...ws, pools });
}

export function updatePool(ws: Workspace, id: string, patch: { title?: string; description?: string }): Workspace {
  const pool = ws.pools?.[id];
  if (!pool) return ws;
  const next: Record<string, unknown> = { ...pool };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined || v === '') delete next[k];
    else next[k] = v;
  }
  return { ...ws, pools: { ...ws.pools, [id]: next as Pool } };
}

const withServices = (ws: Workspace, id: string, pool: Pool, services: PoolMember[]): Workspace => ({
  ...ws,
  pools: { ...ws.pools, [id]: { ...pool, services } },
});

/**
 * Adds a backend to a pool, at the end of the given lane (default: the highest lane, or priority 1 in an empty
 * pool). It joins a lane's style: no priority in an implicit group 0, and a weight only where the lane has them.
 */
export function addMember(ws: Workspace, poolId: string, backend: string, options: { priority?: number; weight?: number } = {}): EditResult {
  const pool = ws.pools?.[poolId];
  if (!pool) return refused(`there is no pool "${poolId}"`);
  if (ws.pools && backend in ws.pools) return refused(`"${backend}" is a pool: APIM does not allow a pool inside a pool`);
  if (!(backend in (ws.backends ?? {}))) return refused(`there is no backend "${backend}"`);
  if (pool.services.some((m) => m.backend === backend)) return refused(`"${backend}" is already a member of "${poolId}"`);
  if (pool.services.length >= MAX_POOL_MEMBERS) return refused(`APIM allows at most ${MAX_POOL_MEMBERS} backends in a pool`);
  const lanes = lanesOf(pool);
  const priority = options.priority ?? lanes[0]?.priority ?? 1;
  const lane = lanes.find((l) => l.priority === priority)?.members.map((lm) => lm.member) ?? [];
  const member: PoolMember = { backend };
  const implicit = lane.length > 0 && lane.every((m) => m.priority === undefined);
  if (!implicit) member.priority = priority;
  const weighted = lane.length === 0 || lane.some((m) => m.weight !== undefined);
  const weight = options.weight ?? (weighted ? 1 : undefined);
  if (weight !== undefined) member.weight = weight;
  const services = [...pool.services];
  const after = services.findIndex((m) => priorityOf(m) > priority);
  services.splice(after < 0 ? services.length : after, 0, member);
  return done(withServices(ws, poolId, pool, normalizePriorities(services)));
}

export function removeMember(ws: Workspace, poolId: string, backend: string): Workspace {
  const pool = ws.pools?.[poolId];
  if (!pool || !pool.services.some((m) => m.backend === backend)) return ws;
  const i = pool.services.findIndex((m) => m.backend === backend);
  return withServices(ws, poolId, pool, pool.services.filter((_, j) => j !== i));
}

/** Sets one field of a member; undefined removes it from the file. */
function setMemberField(ws: Workspace, poolId: string, backend: string, field: 'weight' | 'priority', value: number | undefined): Workspace {
  const pool = ws.pools?.[poolId];
  const i = pool?.services.findIndex((m) => m.backend === backend) ?? -1;
  if (!pool || i < 0) return ws;
  const current = pool.services[i]!;
  if (current[field] === value) return ws;
  const next: PoolMember = { ...current };
  if (value === undefined) delete next[field];
  else next[field] = value;
  return withServices(ws, poolId, pool, pool.services.map((m, j) => (j === i ? next : m)));
}

/** The value is stored as typed (even out of range), so that validation can show the error at the field. */
export const setWeight = (ws: Workspace, poolId: string, backend: string, weight: number | undefined) => setMemberField(ws, poolId, backend, 'weight', weight);
export const setPriority = (ws: Workspace, poolId: string, backend: string, priority: number | undefined) => setMemberField(ws, poolId, backend, 'priority', priority);

/**
 * Once any member has an explicit priority, members without one get an explicit 0: the same group (B1), and the
 * pool no longer draws the "mixes members with and without priority" warning.
 */
function normalizePriorities(services: PoolMember[]): PoolMember[] {
  const mixed = services.some((m) => m.priority !== undefined) && services.some((m) => m.priority === undefined);
  return mixed ? services.map((m) => (m.priority === undefined ? { ...m, priority: 0 } : m)) : services;
}

/**
 * Moves a member into the lane of `priority` at `index` among that lane's other members (default: last) — the
 * drop of a drag, a reorder inside a lane, or a move to a new lane. `services` stays sorted by lane.
 */
export function moveMember(ws: Workspace, poolId: string, backend: string, target: { priority: number; index?: number }): Workspace {
  const pool = ws.pools?.[poolId];
  const from = pool?.services.findIndex((m) => m.backend === backend) ?? -1;
  if (!pool || from < 0) return ws;
  const moving = pool.services[from]!;
  const rest = pool.services.filter((_, j) => j !== from);
  const lanePositions = rest.flatMap((m, j) => (priorityOf(m) === target.priority ? [j] : []));
  const member: PoolMember = { ...moving };
  const implicit = target.priority === 0 && lanePositions.length > 0 && lanePositions.every((j) => rest[j]!.priority === undefined);
  if (implicit) delete member.priority;
  else if (moving.priority === undefined && target.priority === 0 && lanePositions.length === 0 && rest.every((m) => m.priority === undefined)) delete member.priority;
  else member.priority = target.priority;
  let at: number;
  if (lanePositions.length > 0) {
    const idx = Math.max(0, Math.min(target.index ?? lanePositions.length, lanePositions.length));
    at = idx < lanePositions.length ? lanePositions[idx]! : lanePositions[lanePositions.length - 1]! + 1;
  } else {
    const after = rest.findIndex((m) => priorityOf(m) > target.priority);
    at = after < 0 ? rest.length : after;
  }
  const services = normalizePriorities([...rest.slice(0, at), member, ...rest.slice(at)]);
  const same = services.length === pool.services.length && services.every((m, j) => sameMember(m, pool.services[j]!));
  return same ? ws : withServices(ws, poolId, pool, services);
}

const sameMember = (a: PoolMember, b: PoolMember) => a.backend === b.backend && a.priority === b.priority && a.weight === b.weight;

/**
 * The "move up a lane / down a lane" buttons: into the neighbouring lane, or a new lane just beyond the last one
 * when the member shares its lane with others. Refused (with why) when there is nowhere to go.
 */
export function moveToNeighbourLane(ws: Workspace, poolId: string, backend: string, direction: 'up' | 'down'): EditResult {
  const pool = ws.pools?.[poolId];
  const member = pool?.services.find((m) => m.backend === backend);
  if (!pool || !member) return refused(`"${backend}" is not a member of "${poolId}"`);
  const next = neighbourLane(pool, backend, direction);
  if (next !== undefined) return done(moveMember(ws, poolId, backend, { priority: next, index: direction === 'up' ? undefined : 0 }));
  const mine = priorityOf(member);
  const alone = pool.services.filter((m) => priorityOf(m) === mine).length === 1;
  if (alone) return refused(`"${backend}" is already alone in the ${direction === 'up' ? 'highest' : 'lowest'} lane`);
  if (direction === 'down') {
    if (mine >= 100) return refused('priority 100 is the lowest APIM allows');
    return done(moveMember(ws, poolId, backend, { priority: mine + 1 }));
  }
  if (mine <= 0) return refused('priority 0 is the highest: move the other members down instead');
  return done(moveMember(ws, poolId, backend, { priority: mine - 1 }));
}
