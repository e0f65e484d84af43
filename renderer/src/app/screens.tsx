import type { FluentIcon } from '@fluentui/react-icons';
import { BeakerRegular, BranchForkRegular, CloudArrowUpRegular, GaugeRegular, PlugDisconnectedRegular, PulseRegular } from '@fluentui/react-icons';
import type { ComponentType } from 'react';
import { MonitorScreen } from '../features/monitor';
import { SimulateScreen } from '../features/simulate';
import { DeployScreen } from '../features/deploy';
import { DiscoveryScreen } from '../features/discovery';
import { BreakersEditorScreen, PoolsEditorScreen } from './editor-screens';
import type { ScreenId } from '../store/nav/slice';

/** Each screen once: its label, icon and component. Later issues replace a component here, nothing else. */
export const SCREEN_META: Record<ScreenId, { label: string; Icon: FluentIcon; Component: ComponentType }> = {
  pools: { label: 'Pools', Icon: BranchForkRegular, Component: PoolsEditorScreen },
  breakers: { label: 'Breakers', Icon: PlugDisconnectedRegular, Component: BreakersEditorScreen },
  monitor: { label: 'Monitor', Icon: PulseRegular, Component: MonitorScreen },
  simulate: { label: 'Simulate', Icon: BeakerRegular, Component: SimulateScreen },
  deploy: { label: 'Deploy', Icon: CloudArrowUpRegular, Component: DeployScreen },
  discovery: { label: 'Capacity', Icon: GaugeRegular, Component: DiscoveryScreen },
};
