export * from './drill-file';
export * from './faults';
export * from './latency';
export * from './prng';
export * from './rate-budget';
export * from './short-duration';
export * from './tokens';
