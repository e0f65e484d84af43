import { makeStyles, tokens } from '@fluentui/react-components';
import { DeployedTarget } from '../deployed-monitor';
import { RunPanel } from '../monitor/run-panel';
import { useFollowMonitor } from '../monitor/use-monitor';
import { ScreenLayout } from '../screen-layout';
import { CarbonPanel } from './carbon-panel';
import { DrillPanel } from './drill-panel';
import { FaultPanel } from './fault-panel';
import { LoadPanel } from './load-panel';

const useStyles = makeStyles({
  split: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))', gap: tokens.spacingHorizontalL, alignItems: 'start' },
});

/** Issue 8: switch faults on simulated backends, run load, rehearse a failover drill with a pass/fail report. */
export function SimulateScreen() {
  const styles = useStyles();
  useFollowMonitor();
  return (
    <ScreenLayout id="simulate" title="Simulate" lead="Throttle or break simulated backends, run load, and rehearse a failover drill.">
      <DeployedTarget />
      <RunPanel compact />
      <FaultPanel />
      <CarbonPanel />
      <div className={styles.split}>
        <LoadPanel />
        <DrillPanel />
      </div>
    </ScreenLayout>
  );
}
