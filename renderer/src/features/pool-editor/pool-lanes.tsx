import { makeStyles, tokens } from '@fluentui/react-components';
import { DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import { useMemo } from 'react';
import { usePendingFocus } from '../../app/focus-return';
import { lanesOf, newLowestLane } from '../../../../shared/edit/lanes';
import { moveMember, moveToNeighbourLane, removeMember, setWeight } from '../../../../shared/edit/pools';
import { orUnchanged } from '../../../../shared/edit/result';
import type { Workspace } from '../../../../shared/model/schema';
import type { EditFn } from '../validation';
import { laneCollision } from './collision';
import { announcements, screenReaderInstructions } from './dnd-text';
import { dropTarget } from './drop-target';
import { MemberCard } from './member-card';
import { PoolLane } from './pool-lane';

const useStyles = makeStyles({ lanes: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM } });

export interface PoolLanesProps {
  workspace: Workspace;
  poolId: string;
  tripped: ReadonlySet<string>;
  onEdit: EditFn;
  /** Says what happened, in words, to the editor's live region (button moves, refusals). */
  announce(message: string): void;
}

function laneSubtitle(index: number, count: number): string {
  if (index === 0) return count === 1 ? 'the only lane: every request goes here' : 'highest: gets all traffic while any member is closed';
  return 'used only when every lane above is tripped';
}

/** The pool as priority lanes of draggable cards (pointer and keyboard), plus a drop zone for a new lowest lane. */
export function PoolLanes({ workspace, poolId, tripped, onEdit, announce }: PoolLanesProps) {
  const styles = useStyles();
  const pool = workspace.pools?.[poolId];
  const lanes = useMemo(() => lanesOf(pool), [pool]);
  const newLane = newLowestLane(pool);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  // A moved card remounts in its new lane: focus goes to the same button there (or its neighbours), not <body>.
  const focusLater = usePendingFocus();
  const laneOfCard = (backend: string) => lanes.find((l) => l.members.some((m) => m.member.backend === backend))?.priority;

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over) return;
    const backend = String(active.id).replace(/^card:/, '');
    const target = dropTarget(lanes, backend, String(over.id), newLane);
    if (!target) return;
    focusLater([`drag-handle-${backend}`]);
    onEdit((ws) => moveMember(ws, poolId, backend, target));
  };

  const move = (backend: string, direction: 'up' | 'down') => {
    const result = moveToNeighbourLane(workspace, poolId, backend, direction);
    if (!result.ok) return announce(result.message);
    const other = direction === 'up' ? 'down' : 'up';
    focusLater([`lane-${direction}-${backend}`, `lane-${other}-${backend}`, `drag-handle-${backend}`]);
    onEdit((ws) => orUnchanged(ws, moveToNeighbourLane(ws, poolId, backend, direction)));
    const lane = lanesOf(result.workspace.pools?.[poolId]).find((l) => l.members.some((m) => m.member.backend === backend));
    announce(`${backend} moved to priority lane ${lane?.priority ?? '?'}`);
  };

  const singleLaneAlone = (backend: string) => lanes.length === 1 && lanes[0]!.members.length === 1 && lanes[0]!.members[0]!.member.backend === backend;

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={laneCollision}
      onDragEnd={onDragEnd}
      accessibility={{ announcements: announcements(laneOfCard), screenReaderInstructions }}
    >
      <div className={styles.lanes} data-testid={`pool-lanes-${poolId}`}>
        {lanes.map((lane, li) => (
          <PoolLane
            key={lane.priority}
            id={`lane:${lane.priority}`}
            testId={`pool-lane-${lane.priority}`}
            title={`Priority ${lane.priority}`}
            subtitle={laneSubtitle(li, lanes.length)}
            cardIds={lane.members.map((m) => `card:${m.member.backend}`)}
          >
            {lane.members.map(({ member, index }) => (
              <MemberCard
                key={member.backend}
                poolId={poolId}
                member={member}
                index={index}
                backend={workspace.backends?.[member.backend]}
                tripped={tripped.has(member.backend)}
                laneMaxWeight={Math.max(1, ...lane.members.map(({ member: m }) => (typeof m.weight === 'number' && Number.isFinite(m.weight) ? m.weight : 1)))}
                canMoveUp={!(li === 0 && lane.members.length === 1) && !(li === 0 && lane.priority === 0)}
                canMoveDown={!singleLaneAlone(member.backend) && !(li === lanes.length - 1 && lane.members.length === 1)}
                onWeight={(w) => onEdit((ws) => setWeight(ws, poolId, member.backend, w), { coalesceKey: `weight:${poolId}:${member.backend}` })}
                onMove={(d) => move(member.backend, d)}
                onRemove={() => {
                  onEdit((ws) => removeMember(ws, poolId, member.backend));
                  announce(`${member.backend} removed from ${poolId}`);
                }}
              />
            ))}
          </PoolLane>
        ))}
        {newLane > (lanes.at(-1)?.priority ?? 0) && (
          <PoolLane id="lane:new" testId="pool-lane-new" title={`New lane (priority ${newLane})`} subtitle="drop a card here to make it a fallback" cardIds={[]} />
        )}
      </div>
    </DndContext>
  );
}
