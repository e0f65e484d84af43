import type { Pool, PoolMember } from '../model/schema';

/*
 * A pool seen as priority lanes (APIM-SEMANTICS B1): one lane per priority group, highest first (lower number
 * first); members without a priority are in group 0. Inside a lane, members keep their order in `services`.
 */

export interface LaneMember {
  member: PoolMember;
  /** Index in `services`: the path of its fields (`pools.<id>.services[index].weight`). */
  index: number;
}

export interface Lane {
  priority: number;
  members: LaneMember[];
}

export const priorityOf = (m: PoolMember): number => m.priority ?? 0;

export function lanesOf(pool: Pool | undefined): Lane[] {
  const byPriority = new Map<number, LaneMember[]>();
  (pool?.services ?? []).forEach((member, index) => {
    const p = priorityOf(member);
    const list = byPriority.get(p) ?? [];
    list.push({ member, index });
    byPriority.set(p, list);
  });
  return [...byPriority.entries()].sort((a, b) => a[0] - b[0]).map(([priority, members]) => ({ priority, members }));
}

/** The priority of the lane above or below a member's lane, or undefined when there is none. */
export function neighbourLane(pool: Pool, backend: string, direction: 'up' | 'down'): number | undefined {
  const member = pool.services.find((m) => m.backend === backend);
  if (!member) return undefined;
  const mine = priorityOf(member);
  const lanes = lanesOf(pool).map((l) => l.priority);
  const i = lanes.indexOf(mine);
  return direction === 'up' ? lanes[i - 1] : lanes[i + 1];
}

/** Priority for a new lowest lane (one below the lowest), capped at APIM's maximum of 100. */
export function newLowestLane(pool: Pool | undefined): number {
  const lanes = lanesOf(pool);
  if (lanes.length === 0) return 1;
  return Math.min(100, lanes[lanes.length - 1]!.priority + 1);
}
