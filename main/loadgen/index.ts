export { LatencyHistogram, type Percentiles } from './histogram';
export { formatLoadReport, formatProgress } from './format-report';
export { runLoad, type LoadOptions, type LoadProgress, type LoadReport } from './run-load';
export { errorKind, sendOne, type ErrorKind, type RequestResult } from './send-one';
export { buildTarget, DEFAULT_API_VERSION, type LoadKind, type LoadTarget, type TargetOptions } from './target';
export { formatDrillReport } from './drill-format';
export { bucketFor, buildDrillReport, DrillRecorder, type DrillEvent, type DrillReport, type Expectation, type GatewayEventLike } from './drill-report';
export { runDrill, type DrillGateway, type DrillOptions, type StartGateway, type StartSimulators } from './drill-runner';
export { loadDrillFile, type LoadedDrill } from './drill-load';
