import { closestCorners, pointerWithin, rectIntersection, type CollisionDetection } from '@dnd-kit/core';

const isCard = (id: string | number) => String(id).startsWith('card:');

/**
 * Cards sit inside their lane's droppable, and the dragged card stays in its own lane until dropped, so
 * `closestCorners` alone keeps answering "over itself". Instead: with a pointer, what is under it (a card before
 * its lane, so the drop knows the position); with the keyboard (no pointer), what the moved card overlaps most —
 * `sortableKeyboardCoordinates` puts it right on the next card or lane. Nearest corners only as a fallback.
 */
export const laneCollision: CollisionDetection = (args) => {
  if (args.pointerCoordinates) {
    const under = pointerWithin(args);
    if (under.length > 0) return [...under].sort((a, b) => Number(isCard(b.id)) - Number(isCard(a.id)));
  }
  const overlapping = rectIntersection(args);
  return overlapping.length > 0 ? overlapping : closestCorners(args);
};
