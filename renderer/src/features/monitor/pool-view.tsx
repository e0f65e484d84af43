import { Caption1, makeStyles, Subtitle2, Text, tokens } from '@fluentui/react-components';
import { useMemo } from 'react';
import { framesInWindow, windowEnd } from '../../store/monitor/chart-series';
import { poolShares, type ShareRow } from '../../store/monitor/selectors';
import { seriesColour } from './series-colours';
import { useMonitor, useMonitorVersion } from './use-monitor';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  pool: { display: 'grid', gridTemplateColumns: 'minmax(140px, 1fr) 90px minmax(200px, 3fr)', columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalXS, alignItems: 'center' },
  head: { color: tokens.colorNeutralForeground3 },
  name: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS, minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  dot: { width: '8px', height: '8px', borderRadius: tokens.borderRadiusCircular, flexShrink: 0 },
  bars: { display: 'flex', flexDirection: 'column', gap: '3px' },
  bar: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  track: { flex: 1, height: '8px', borderRadius: '4px', backgroundColor: tokens.colorNeutralBackground4, overflow: 'hidden' },
  fill: { height: '100%', borderRadius: '4px' },
  pct: { width: '84px', textAlign: 'right', fontVariantNumeric: 'tabular-nums', color: tokens.colorNeutralForeground2 },
});

const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(v >= 0.1 || v === 0 ? 0 : 1)} %`);

function Bars({ row, colour }: { row: ShareRow; colour: string }) {
  const styles = useStyles();
  return (
    <div className={styles.bars}>
      <div className={styles.bar} title={`configured: ${pct(row.configured)} of the pool's traffic with every member closed`}>
        <div className={styles.track}>
          <div className={styles.fill} style={{ width: `${row.configured * 100}%`, backgroundColor: tokens.colorNeutralStroke1 }} />
        </div>
        <Caption1 className={styles.pct}>{`${pct(row.configured)} cfg`}</Caption1>
      </div>
      <div className={styles.bar} title={`observed: ${row.requests} requests in the window`}>
        <div className={styles.track}>
          <div className={styles.fill} style={{ width: `${(row.observed ?? 0) * 100}%`, backgroundColor: colour }} />
        </div>
        <Caption1 className={styles.pct} data-testid={`observed-${row.backend}`}>
          {`${pct(row.observed)} seen`}
        </Caption1>
      </div>
    </div>
  );
}

/** Each pool's members: the share their weights give (all closed) next to the share the gateway actually sent. */
export function PoolView() {
  const styles = useStyles();
  const version = useMonitorVersion(['frames'], 600);
  const buffers = useMonitor((s) => s.monitorBuffers);
  const minutes = useMonitor((s) => s.monitor.windowMinutes);
  const config = useMonitor((s) => s.monitor.config);
  const pools = useMemo(() => {
    if (!config) return [];
    const to = windowEnd(buffers, buffers.gatewayNow());
    const frames = framesInWindow(buffers, minutes * 60, to);
    return Object.entries(config.pools).map(([id, members]) => ({ id, rows: poolShares(members, frames) }));
  }, [version, buffers, minutes, config]);
  if (!config) return null;
  return (
    <section className={styles.root} data-testid="pool-view" aria-label="Pools, live">
      <Subtitle2 as="h2">Pools, live</Subtitle2>
      {pools.length === 0 && <Caption1 className={styles.head}>This workspace has no pools.</Caption1>}
      {pools.map((p) => (
        <div key={p.id} className={styles.pool} data-testid={`pool-live-${p.id}`}>
          <Text weight="semibold">{p.id}</Text>
          <Caption1 className={styles.head}>prio · weight</Caption1>
          <Caption1 className={styles.head}>share: configured vs seen in the window</Caption1>
          {p.rows.map((r) => (
            <div key={r.backend} style={{ display: 'contents' }}>
              <Caption1 className={styles.name} title={r.backend}>
                <span className={styles.dot} style={{ backgroundColor: seriesColour(r.backend, config.backends) }} />
                {r.backend}
              </Caption1>
              <Caption1>{`${r.priority ?? 0} · ${r.weight ?? '–'}`}</Caption1>
              <Bars row={r} colour={seriesColour(r.backend, config.backends)} />
            </div>
          ))}
        </div>
      ))}
    </section>
  );
}
