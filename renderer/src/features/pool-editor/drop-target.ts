import type { Lane } from '../../../../shared/edit/lanes';

/**
 * Where a dropped card goes: `lane:<p>` = end of that lane, `lane:new` = a new lowest lane, `card:<b>` = the
 * position of that card (before it when coming from elsewhere; its slot when reordering in the same lane).
 * Undefined when the drop changes nothing or the target is unknown.
 */
export function dropTarget(lanes: readonly Lane[], active: string, overId: string, newLane: number): { priority: number; index?: number } | undefined {
  if (overId === 'lane:new') return { priority: newLane };
  if (overId.startsWith('lane:')) {
    const priority = Number(overId.slice(5));
    return Number.isFinite(priority) ? { priority } : undefined;
  }
  const over = overId.replace(/^card:/, '');
  if (over === active) return undefined;
  const lane = lanes.find((l) => l.members.some((m) => m.member.backend === over));
  if (!lane) return undefined;
  const ids = lane.members.map((m) => m.member.backend);
  // Index among the lane's other members, which is where moveMember puts the card: same as arrayMove's result.
  const overIndex = ids.indexOf(over);
  return { priority: lane.priority, index: overIndex };
}
