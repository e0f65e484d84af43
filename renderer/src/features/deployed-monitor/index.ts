export { createDeployedSlice, deployedInitialState, type DeployedSlice, type DeployedState, type MonitorSource } from './deployed-slice';
export { DeployedMonitorScreen } from './deployed-monitor';
export { DeployedTarget } from './deployed-target';
export { createFakeDeployed } from './fake-deployed';
export { MonitorSourceSwitch, useMonitorSource } from './source-switch';
