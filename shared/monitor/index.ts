export * from './events';
export * from './snapshot';
export * from './status';
