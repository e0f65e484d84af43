import { describe, expect, it } from 'vitest';
import type { Backend, Workspace } from '../model';
import { basePath, compileRoutes, compileRule } from './route-table';

// The rule's compilation, setting by setting (added from the mutation run: a default flipped or a speed applied
// the wrong way round here changes every breaker the gateway runs).
const backend = (rule: Record<string, unknown> = {}): Backend =>
  ({
    url: 'https://east.example.com/openai',
    circuitBreaker: { rules: [{ name: 'r', failureCondition: { count: 3, interval: 'PT10S', statusCodeRanges: [{ min: 429, max: 429 }] }, tripDuration: 'PT30S', ...rule }] },
  }) as unknown as Backend;

describe('compileRule', () => {
  it('Retry-After is ignored unless the rule says acceptRetryAfter: true', () => {
    expect(compileRule(backend())!.acceptRetryAfter).toBe(false);
    expect(compileRule(backend({ acceptRetryAfter: true }))!.acceptRetryAfter).toBe(true);
    expect(compileRule(backend({ acceptRetryAfter: false }))!.acceptRetryAfter).toBe(false);
  });
  it('interval and trip duration in ms, divided by the drill speed; no rule, nothing', () => {
    expect(compileRule(backend())).toMatchObject({ intervalMs: 10_000, tripMs: 30_000, count: 3, ranges: [{ min: 429, max: 429 }] });
    expect(compileRule(backend(), 10)).toMatchObject({ intervalMs: 1_000, tripMs: 3_000 });
    expect(compileRule({ url: 'https://x.example.com' } as Backend)).toBeUndefined();
  });
});

describe('compileRoutes', () => {
  const ws = (extra: Record<string, unknown> = {}) => ({ version: 1, backends: { east: backend() }, apis: { a: { path: 'openai', backend: 'east', ...extra } } }) as unknown as Workspace;
  it('a speed of zero or less counts as 1', () => {
    for (const speed of [0, -5, undefined]) expect(compileRoutes(ws(), { speed }).backends.get('east')!.rule!.intervalMs).toBe(10_000);
    expect(compileRoutes(ws(), { speed: 4 }).backends.get('east')!.rule!.intervalMs).toBe(2_500);
  });
  it('retries only when the API says so, on the statuses it lists', () => {
    const none = compileRoutes(ws()).apis[0]!;
    expect([none.retryCount, [...none.retryOn]]).toEqual([0, []]);
    const some = compileRoutes(ws({ retry: { count: 2, on: [429, 503] } })).apis[0]!;
    expect([some.retryCount, [...some.retryOn]]).toEqual([2, [429, 503]]);
  });
});

describe('basePath', () => {
  it('drops one trailing slash and keeps the rest', () => {
    expect(basePath('https://x.example.com/openai/')).toBe('/openai');
    expect(basePath('https://x.example.com/openai')).toBe('/openai');
    expect(basePath('https://x.example.com/')).toBe('');
  });
});
