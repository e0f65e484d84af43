import { Tab, TabList } from '@fluentui/react-components';
import { WINDOWS, type WindowMinutes } from '../../store/monitor/slice';
import { useMonitor } from './use-monitor';

/** 1, 5 or 15 minutes: the charts' span, and the size of the rings that hold them. */
export function WindowPicker() {
  const minutes = useMonitor((s) => s.monitor.windowMinutes);
  const setWindow = useMonitor((s) => s.setMonitorWindow);
  return (
    <TabList size="small" selectedValue={String(minutes)} onTabSelect={(_, d) => setWindow(Number(d.value) as WindowMinutes)} aria-label="Time window" data-testid="window-picker">
      {WINDOWS.map((m) => (
        <Tab key={m} value={String(m)} data-testid={`window-${m}`}>
          {`${m} min`}
        </Tab>
      ))}
    </TabList>
  );
}
