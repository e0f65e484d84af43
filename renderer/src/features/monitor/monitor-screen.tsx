import { Caption1, Card, makeStyles, mergeClasses, Subtitle2, tokens } from '@fluentui/react-components';
import { PulseRegular } from '@fluentui/react-icons';
import { DeployedMonitorScreen, MonitorSourceSwitch, useMonitorSource } from '../deployed-monitor';
import { EmptyState } from '../empty-state';
import { ScreenLayout } from '../screen-layout';
import { BackendCards } from './backend-cards';
import { ClientHeadline } from './client-headline';
import { EventLog } from './event-log';
import { TokenDimensionChart } from '../token-limits';
import { MonitorCharts } from './monitor-charts';
import { PoolView } from './pool-view';
import { RunPanel } from './run-panel';
import { useFollowMonitor, useMonitor } from './use-monitor';
import { WindowPicker } from './window-picker';

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, padding: tokens.spacingHorizontalL, minWidth: 0 },
  // Sections scrolled out of view skip style, layout and paint while the data ticks (they still render in React).
  offscreenCheap: { contentVisibility: 'auto', containIntrinsicSize: 'auto 600px' },
  head: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  spacer: { flex: 1 },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** Issue 8: the local gateway's health per backend, trips and failovers, charted as they happen. */
export function MonitorScreen() {
  const styles = useStyles();
  useFollowMonitor();
  const run = useMonitor((s) => s.monitor.run);
  const hasConfig = useMonitor((s) => s.monitor.config !== null);
  if (useMonitorSource() === 'deployed') return <DeployedMonitorScreen />;
  return (
    <ScreenLayout id="monitor" title="Monitor" lead="Requests, trips and failovers of the local gateway, as they happen.">
      <MonitorSourceSwitch />
      <RunPanel />
      {!hasConfig ? (
        <EmptyState Icon={PulseRegular} title="Nothing to watch yet" testId="empty-monitor">
          Start the local gateway above to see per-backend health, trips and failovers here. Throttle or break a simulated backend on the Simulate screen and
          watch its breaker open and the traffic move.
        </EmptyState>
      ) : (
        <>
          {!run.running && <Caption1 className={styles.muted}>The gateway is stopped: what follows is its last data.</Caption1>}
          <ClientHeadline />
          <BackendCards />
          <Card className={mergeClasses(styles.panel, styles.offscreenCheap)}>
            <div className={styles.head}>
              <Subtitle2 as="h2">Traffic</Subtitle2>
              <Caption1 className={styles.muted}>one point per second; hover for exact values</Caption1>
              <span className={styles.spacer} />
              <WindowPicker />
            </div>
            <MonitorCharts />
          </Card>
          <Card className={mergeClasses(styles.panel, styles.offscreenCheap)}>
            <TokenDimensionChart />
          </Card>
          <Card className={mergeClasses(styles.panel, styles.offscreenCheap)}>
            <PoolView />
          </Card>
          <Card className={mergeClasses(styles.panel, styles.offscreenCheap)}>
            <EventLog />
          </Card>
        </>
      )}
    </ScreenLayout>
  );
}
