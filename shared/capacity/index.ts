export * from './budgets';
export * from './planner';
export * from './summary';
export * from './sweep';
export * from './weight-capacity';
export * from './observed-profile';
export * from './deployed-profile';
