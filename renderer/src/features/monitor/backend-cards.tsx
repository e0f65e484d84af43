import { makeStyles, tokens } from '@fluentui/react-components';
import { useCallback, useMemo } from 'react';
import { cardStats } from '../../store/monitor/selectors';
import { BackendCard } from './backend-card';
import { seriesColour } from './series-colours';
import { useMonitor, useMonitorVersion } from './use-monitor';

const useStyles = makeStyles({
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(300px, 1fr))', gap: tokens.spacingHorizontalM },
});

/** One card per backend of the running gateway, in workspace order. */
export function BackendCards() {
  const styles = useStyles();
  const version = useMonitorVersion(['frames', 'breakers']);
  const buffers = useMonitor((s) => s.monitorBuffers);
  const backends = useMonitor((s) => s.monitor.config?.backends);
  const run = useMonitor((s) => s.monitor.run);
  const faults = useMonitor((s) => s.monitor.faults);
  const busy = useMonitor((s) => s.monitor.busy);
  const resetBreaker = useMonitor((s) => s.resetBreaker);
  const onReset = useCallback((id: string) => void resetBreaker(id), [resetBreaker]);
  const ids = useMemo(() => backends ?? [], [backends]);
  // Recomputed once per buffers version (a second, or a coalesced burst of events), for every card at once.
  const view = useMemo(() => {
    const frames = buffers.frames.tail(60);
    return ids.map((id) => ({ id, stats: cardStats(frames, id), breaker: buffers.breakers.get(id) }));
  }, [version, ids, buffers]);
  return (
    <div className={styles.grid} data-testid="backend-cards">
      {view.map(({ id, stats, breaker }) => (
        <BackendCard
          key={id}
          id={id}
          colour={seriesColour(id, ids)}
          stats={stats}
          breaker={breaker}
          fault={faults[id]}
          running={run.running}
          resetting={busy === `reset ${id}`}
          onReset={onReset}
        />
      ))}
    </div>
  );
}
