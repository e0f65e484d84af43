import { Tab, TabList } from '@fluentui/react-components';
import { useAppStore } from '../../store/store-context';
import { deployedInitialState, type MonitorSource } from './deployed-slice';

/** The Monitor's source: the local gateway (live) or the deployed service (Log Analytics). */
export function MonitorSourceSwitch() {
  const source = useAppStore((s) => s.deployed?.source ?? 'local');
  const set = useAppStore((s) => s.setMonitorSource);
  return (
    <TabList selectedValue={source} onTabSelect={(_, d) => set(d.value as MonitorSource)} aria-label="Monitor source" data-testid="monitor-source">
      <Tab value="local">Local gateway</Tab>
      <Tab value="deployed">Deployed service</Tab>
    </TabList>
  );
}

/** The hook for the Monitor screen: which source it shows (a store without this slice, as in some tests: local). */
export const useMonitorSource = () => useAppStore((s) => s.deployed?.source ?? deployedInitialState.source);
