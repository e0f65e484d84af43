import type { Announcements, ScreenReaderInstructions } from '@dnd-kit/core';

/* Screen reader text for dragging cards between lanes (dnd-kit reads these through its own live region). */

const backendOf = (id: string | number) => String(id).replace(/^card:/, '');

export function describeTarget(id: string | number | undefined, laneOfCard: (backend: string) => number | undefined): string {
  if (id === undefined) return 'no lane';
  const s = String(id);
  if (s === 'lane:new') return 'a new lowest-priority lane';
  if (s.startsWith('lane:')) return `priority lane ${s.slice(5)}`;
  const lane = laneOfCard(backendOf(s));
  return `${backendOf(s)}'s position in priority lane ${lane ?? '?'}`;
}

export function announcements(laneOfCard: (backend: string) => number | undefined): Announcements {
  return {
    onDragStart: ({ active }) => `Picked up ${backendOf(active.id)}. Arrow keys move it, Space drops it, Escape cancels.`,
    // Over its own place right after pick-up: say nothing, so "Picked up" is not talked over.
    onDragOver: ({ active, over }) => (over?.id === active.id ? undefined : `${backendOf(active.id)} is over ${describeTarget(over?.id, laneOfCard)}.`),
    onDragEnd: ({ active, over }) =>
      over && over.id !== active.id ? `${backendOf(active.id)} dropped on ${describeTarget(over.id, laneOfCard)}.` : `${backendOf(active.id)} was not moved.`,
    onDragCancel: ({ active }) => `Moving ${backendOf(active.id)} was cancelled.`,
  };
}

export const screenReaderInstructions: ScreenReaderInstructions = {
  draggable:
    'To move this backend, press Space or Enter. Use the arrow keys to move it to another lane or position, Space or Enter to drop, Escape to cancel. The up and down lane buttons do the same in one step.',
};
