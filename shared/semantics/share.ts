import { PoolPicker, type MemberSpec } from './picker';

export type ShareResult =
  | { ok: true; share: Record<string, number> }
  | { ok: false; code: 'NoHealthyBackend'; message: string };

/** Upper bound on one smooth-WRR period: 30 members × weight 100 (APIM's limits), with room to spare. */
const MAX_PERIOD = 100_000;

/**
 * The long-run share of traffic per backend (0..1) for a pool whose `open` members are tripped — the pool editor's
 * "what if" preview. It runs the gateway's own picker (same code) over exactly one period of smooth weighted
 * round-robin: the period ends when the picker's state is back at rest, so shares are exact fractions, not samples.
 */
export function expectedShare(members: readonly MemberSpec[], open: Iterable<string>): ShareResult {
  const openSet = new Set(open);
  const picker = new PoolPicker(members);
  const available = (i: number) => !openSet.has(members[i]!.backend);
  const counts = new Map<string, number>();
  let picks = 0;
  do {
    const i = picker.pick(available);
    if (i < 0) return { ok: false, code: 'NoHealthyBackend', message: 'no backend available: every member is open' };
    const id = members[i]!.backend;
    counts.set(id, (counts.get(id) ?? 0) + 1);
    picks++;
  } while (!picker.atRest() && picks < MAX_PERIOD);
  const share: Record<string, number> = {};
  for (const m of members) share[m.backend] = (counts.get(m.backend) ?? 0) / picks;
  return { ok: true, share };
}
