export * from './apply-events';
export * from './desired-backend';
export * from './diff';
export * from './format-plan';
export * from './plan-schema';
export * from './preflight';
