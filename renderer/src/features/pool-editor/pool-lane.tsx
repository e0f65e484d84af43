import { Caption1, makeStyles, mergeClasses, shorthands, Subtitle2, tokens } from '@fluentui/react-components';
import { useDroppable } from '@dnd-kit/core';
import { rectSortingStrategy, SortableContext } from '@dnd-kit/sortable';

const useStyles = makeStyles({
  lane: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  over: { border: `${tokens.strokeWidthThick} dashed ${tokens.colorBrandStroke1}`, backgroundColor: tokens.colorBrandBackground2 },
  empty: { ...shorthands.borderStyle('dashed'), minHeight: '56px', justifyContent: 'center' },
  head: { display: 'flex', alignItems: 'baseline', gap: tokens.spacingHorizontalS },
  muted: { color: tokens.colorNeutralForeground3 },
  cards: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, minHeight: '40px' },
});

export interface PoolLaneProps {
  /** Droppable id: `lane:<priority>` or `lane:new`. */
  id: string;
  title: string;
  subtitle: string;
  cardIds: string[];
  testId: string;
  children?: React.ReactNode;
}

/** One priority group drawn as a lane; cards inside are sortable, and the lane itself takes drops when empty. */
export function PoolLane({ id, title, subtitle, cardIds, testId, children }: PoolLaneProps) {
  const styles = useStyles();
  const { setNodeRef, isOver } = useDroppable({ id });
  return (
    <section ref={setNodeRef} className={mergeClasses(styles.lane, isOver && styles.over, cardIds.length === 0 && styles.empty)} data-testid={testId} aria-label={title}>
      <div className={styles.head}>
        <Subtitle2>{title}</Subtitle2>
        <Caption1 className={styles.muted}>{subtitle}</Caption1>
      </div>
      <SortableContext id={id} items={cardIds} strategy={rectSortingStrategy}>
        <div className={styles.cards}>{children}</div>
      </SortableContext>
    </section>
  );
}
