export { OPENED, CLOSED, parsePeekedMessages, readBreakerEvents, STORAGE_SCOPE, type BreakerEvent, type FetchLike } from './breaker-events';
export { bucketsFrom, inferOpenings, NO_BACKEND, type BackendBucket, type DeployedBucket, type InferredOpening } from './buckets';
export { readDeployedMonitor, DEFAULT_DELAY_SECONDS, type DeployedMonitorOptions, type DeployedMonitorReport } from './deployed-monitor';
export { discoverLogsDestination, ENABLE_HOW_TO, monitorClient, serviceResourceId, type Discovery, type LogsDestination } from './diagnostic-settings';
export { bucketSecondsFor, delayQuery, tokensQuery, trafficQuery } from './kql';
export { createLogsReader, DEFAULT_LOGS_ENDPOINT, rowsOf, type LogsReader, type Row } from './log-analytics';
export { listSubscriptionKeys, readSubscriptionKey, type SubscriptionKeyInfo } from './subscription-keys';
export { openDeployedSource, type DeployedSource, type DeployedSourceOptions } from './open-source';
export { createDeployedService, type DeployedServiceDeps, type DeployedServiceImpl } from './deployed-service';
