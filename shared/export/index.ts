export * from './arm-template';
export * from './backend-properties';
export * from './bicep';
export * from './policy';
export * from './no-response-errors';
