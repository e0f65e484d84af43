import { Badge, Button, Caption1, makeStyles, mergeClasses, Text, tokens } from '@fluentui/react-components';
import { ArrowResetRegular } from '@fluentui/react-icons';
import { memo } from 'react';
import type { FaultSpec } from '../../../../shared/simulation/faults';
import type { BreakerView } from '../../store/monitor/monitor-buffers';
import type { CardStats } from '../../store/monitor/selectors';
import { fmtCount, fmtCountdown, fmtMs, fmtPct, fmtRate } from './format';
import { Sparkline } from './sparkline';
import { useMonitor, useNow } from './use-monitor';

const useStyles = makeStyles({
  // A plain box in Card's look: 30 of these re-render every second, and Fluent's Card brings focus management
  // hooks a read-only tile does not need.
  card: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    padding: tokens.spacingHorizontalM,
    minWidth: 0,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusMedium,
    boxShadow: tokens.shadow4,
    // Its numbers change every second: keep the relayout inside the card.
    contain: 'layout paint style',
  },
  open: { boxShadow: `inset 3px 0 0 ${tokens.colorPaletteRedBorderActive}, ${tokens.shadow4}` },
  head: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, minWidth: 0 },
  swatch: { width: '10px', height: '10px', borderRadius: tokens.borderRadiusCircular, flexShrink: 0 },
  name: { fontWeight: tokens.fontWeightSemibold, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', flex: 1, minWidth: 0 },
  openLine: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'baseline', color: tokens.colorPaletteRedForeground1, minHeight: '20px' },
  countdown: { fontVariantNumeric: 'tabular-nums', fontWeight: tokens.fontWeightSemibold },
  reason: { color: tokens.colorNeutralForeground2, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  closedLine: { color: tokens.colorNeutralForeground3, minHeight: '20px' },
  stats: { display: 'grid', gridTemplateColumns: 'repeat(5, minmax(0, 1fr))', gap: tokens.spacingHorizontalXS },
  stat: { display: 'flex', flexDirection: 'column', minWidth: 0 },
  value: { fontVariantNumeric: 'tabular-nums', fontWeight: tokens.fontWeightSemibold, whiteSpace: 'nowrap' },
  label: { color: tokens.colorNeutralForeground3, whiteSpace: 'nowrap' },
  foot: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  spark: { flex: 1, minWidth: 0 },
});

export interface BackendCardProps {
  id: string;
  colour: string;
  breaker: BreakerView | undefined;
  stats: CardStats;
  fault: FaultSpec | null | undefined;
  running: boolean;
  resetting: boolean;
  onReset(id: string): void;
}

function faultLabel(f: FaultSpec): string {
  switch (f.type) {
    case 'throttle':
      return `throttle · Retry-After ${f.retryAfter}`;
    case 'errors':
      return `errors ${Math.round(f.rate * 100)} %`;
    case 'slow':
      return `slow ×${f.factor}`;
    default:
      return f.type;
  }
}

/** Closed, or open with a live countdown to close and the reason (status, Retry-After). */
function BreakerLine({ id, breaker }: { id: string; breaker: BreakerView | undefined }) {
  const styles = useStyles();
  const open = breaker?.state === 'open';
  // The countdown runs on the gateway's clock, like openUntil itself.
  const now = useNow(open && breaker?.openUntil !== null) + useMonitor((s) => s.monitorBuffers).clockOffsetMs;
  if (!open) return <Caption1 className={styles.closedLine}>Taking traffic</Caption1>;
  return (
    <div className={styles.openLine}>
      <Caption1 className={styles.countdown} data-testid={`countdown-${id}`}>
        {breaker!.openUntil !== null ? `closes in ${fmtCountdown(breaker!.openUntil - now)}` : 'open'}
      </Caption1>
      {breaker!.reason && (
        <Caption1 className={styles.reason} title={breaker!.reason}>
          {breaker!.reason}
        </Caption1>
      )}
    </div>
  );
}

function BackendCardView({ id, colour, breaker, stats, fault, running, resetting, onReset }: BackendCardProps) {
  const styles = useStyles();
  const open = breaker?.state === 'open';
  const items: [string, string][] = [
    ['req/s', fmtRate(stats.rps)],
    ['success', fmtPct(stats.success)],
    ['p50', fmtMs(stats.p50)],
    ['p99', fmtMs(stats.p99)],
    ['tokens/min', fmtCount(stats.tpm)],
  ];
  return (
    <section className={mergeClasses(styles.card, open && styles.open)} data-testid={`backend-card-${id}`} data-state={breaker?.state ?? 'closed'} aria-label={`Backend ${id}`}>
      <div className={styles.head}>
        <span className={styles.swatch} style={{ backgroundColor: colour }} aria-hidden />
        <Text className={styles.name} title={id}>
          {id}
        </Text>
        {fault && (
          <Badge appearance="outline" color="warning" size="small" data-testid={`card-fault-${id}`}>
            {faultLabel(fault)}
          </Badge>
        )}
        <Badge appearance="filled" color={open ? 'danger' : 'success'} data-testid={`breaker-state-${id}`}>
          {open ? 'open' : 'closed'}
        </Badge>
      </div>
      <BreakerLine id={id} breaker={breaker} />
      <div className={styles.stats}>
        {items.map(([label, value]) => (
          <div key={label} className={styles.stat}>
            <Text className={styles.value} data-testid={`stat-${id}-${label.replace('/', '-per-')}`}>
              {value}
            </Text>
            <Caption1 className={styles.label}>{label}</Caption1>
          </div>
        ))}
      </div>
      {/* disabledFocusable: after a reset the breaker closes and the button stays where focus is (WCAG 2.4.3). */}
      <div className={styles.foot}>
        <Sparkline className={styles.spark} values={stats.spark} colour={colour} label={`${id} requests per second, last minute`} />
        <Button size="small" appearance="subtle" icon={<ArrowResetRegular />} disabledFocusable={!running || !open || resetting} onClick={() => onReset(id)} data-testid={`reset-${id}`}>
          Reset breaker
        </Button>
      </div>
    </section>
  );
}

const sameStats = (a: CardStats, b: CardStats) =>
  a.rps === b.rps && a.success === b.success && a.p50 === b.p50 && a.p99 === b.p99 && a.tpm === b.tpm && a.spark.length === b.spark.length && a.spark.every((v, i) => v === b.spark[i]);

/** Re-renders only when its own numbers change, not when a neighbour's do (an idle backend's card stays put). */
export const BackendCard = memo(BackendCardView, (a, b) => {
  const { stats: sa, ...ra } = a;
  const { stats: sb, ...rb } = b;
  return sameStats(sa, sb) && (Object.keys(ra) as (keyof typeof ra)[]).every((k) => ra[k] === rb[k]);
});
