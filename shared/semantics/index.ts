export * from './breaker';
export * from './picker';
export * from './retry';
export * from './retry-after';
export * from './route-table';
export * from './router';
export * from './share';
export * from './sliding-window';
