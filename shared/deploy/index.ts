export * from './apply-events';
export * from './desired-backend';
export * from './diff';
export * from './format-plan';
export * from './plan-schema';
export * from './preflight';
export * from './preview-fields';
export * from './secret-fields';
