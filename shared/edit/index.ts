export * from './apis';
export * from './backends';
export * from './breaker';
export * from './lanes';
export * from './pools';
export * from './presets';
export * from './result';
