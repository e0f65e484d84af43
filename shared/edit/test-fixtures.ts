import type { Workspace } from '../model/schema';

/** A small workspace for the edit tests: two backends in one pool behind one api. */
export function sample(): Workspace {
  return {
    version: 1,
    backends: {
      east: {
        url: 'https://east.openai.azure.com/openai',
        auth: { type: 'api-key', secret: 'east-key' },
        circuitBreaker: {
          rules: [{ name: 'r', failureCondition: { count: 3, interval: 'PT1M', statusCodeRanges: [{ min: 500, max: 599 }] }, tripDuration: 'PT1M' }],
        },
      },
      west: { url: 'https://west.openai.azure.com/openai' },
      spare: { url: 'https://spare.openai.azure.com/openai' },
    },
    pools: {
      pool: {
        services: [
          { backend: 'east', priority: 1, weight: 3 },
          { backend: 'west', priority: 1, weight: 1 },
        ],
      },
    },
    apis: { chat: { path: 'openai', backend: 'pool', retry: { count: 1, on: [429, 503] } } },
    simulation: { west: { tokensPerMinute: 1000 } },
  };
}

/** Freezes every object of a value, so that an edit that mutates its input throws in the test. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export const frozenSample = () => deepFreeze(sample());
