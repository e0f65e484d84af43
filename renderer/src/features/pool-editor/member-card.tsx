import { Badge, Button, Caption1, Card, makeStyles, mergeClasses, Text, tokens } from '@fluentui/react-components';
import { ArrowDownRegular, ArrowUpRegular, DismissRegular, ReOrderDotsVerticalRegular } from '@fluentui/react-icons';
import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { formatPath } from '../../../../shared/model/paths';
import type { Backend, PoolMember } from '../../../../shared/model/schema';
import { CapacityBadge } from '../discovery/capacity-badge';
import { FieldIssues } from '../validation';
import { breakerSummary } from './breaker-summary';
import { WeightControl } from './weight-control';

const useStyles = makeStyles({
  card: { width: '250px', gap: tokens.spacingVerticalXS, padding: tokens.spacingHorizontalS },
  dragging: { position: 'relative', zIndex: 10, opacity: 0.9, boxShadow: tokens.shadow28 },
  tripped: { outline: `${tokens.strokeWidthThick} dashed ${tokens.colorPaletteRedBorder2}` },
  head: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  name: { flexGrow: 1, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  handle: { cursor: 'grab', touchAction: 'none' },
  meta: { color: tokens.colorNeutralForeground3, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  badges: { display: 'flex', gap: tokens.spacingHorizontalXS, flexWrap: 'wrap' },
});

export interface MemberCardProps {
  poolId: string;
  member: PoolMember;
  index: number;
  backend: Backend | undefined;
  tripped: boolean;
  /** The largest weight in this member's lane: the weight bars are drawn against it. */
  laneMaxWeight?: number;
  canMoveUp: boolean;
  canMoveDown: boolean;
  onWeight(weight: number | undefined): void;
  onMove(direction: 'up' | 'down'): void;
  onRemove(): void;
}

/** One pool member: drag handle (pointer and keyboard), weight, lane buttons, remove. */
export function MemberCard(props: MemberCardProps) {
  const { poolId, member, index, backend, tripped } = props;
  const styles = useStyles();
  const id = member.backend;
  const sortable = useSortable({ id: `card:${id}`, data: { backend: id, priority: member.priority ?? 0 } });
  const base = ['pools', poolId, 'services', index];
  const style = { transform: CSS.Translate.toString(sortable.transform), transition: sortable.transition };
  return (
    <Card
      ref={sortable.setNodeRef}
      style={style}
      className={mergeClasses(styles.card, sortable.isDragging && styles.dragging, tripped && styles.tripped)}
      data-testid={`member-card-${id}`}
      aria-label={`Member ${id}`}
    >
      <div className={styles.head}>
        <Button
            ref={sortable.setActivatorNodeRef}
            className={styles.handle}
            appearance="subtle"
            size="small"
            icon={<ReOrderDotsVerticalRegular />}
            aria-label={`Drag ${id}`}
            data-testid={`drag-handle-${id}`}
            {...sortable.attributes}
            {...sortable.listeners}
            title="Drag to another lane or position (keyboard: Space, arrows, Space)"
          />
        <Text weight="semibold" className={styles.name} title={id}>
          {id}
        </Text>
        <Button size="small" appearance="subtle" icon={<ArrowUpRegular />} disabled={!props.canMoveUp} onClick={() => props.onMove('up')} aria-label={`Move ${id} up a lane`} data-testid={`lane-up-${id}`} />
        <Button size="small" appearance="subtle" icon={<ArrowDownRegular />} disabled={!props.canMoveDown} onClick={() => props.onMove('down')} aria-label={`Move ${id} down a lane`} data-testid={`lane-down-${id}`} />
        <Button size="small" appearance="subtle" icon={<DismissRegular />} onClick={props.onRemove} aria-label={`Remove ${id} from the pool`} data-testid={`remove-member-${id}`} />
      </div>
      <Caption1 className={styles.meta} title={backend?.url}>
        {backend ? backend.title ?? backend.url : 'no such backend'}
      </Caption1>
      <div className={styles.badges}>
        <Badge appearance="tint" color={backend?.circuitBreaker ? 'brand' : 'subtle'} size="small">
          {breakerSummary(backend)}
        </Badge>
        <CapacityBadge id={id} backend={backend} />
        {tripped && (
          <Badge appearance="filled" color="danger" size="small">
            what-if: tripped
          </Badge>
        )}
      </div>
      <WeightControl backend={id} weight={member.weight} path={formatPath([...base, 'weight'])} onChange={props.onWeight} laneMax={props.laneMaxWeight} />
      <FieldIssues path={formatPath([...base, 'backend'])} />
      <FieldIssues path={formatPath([...base, 'priority'])} />
    </Card>
  );
}
