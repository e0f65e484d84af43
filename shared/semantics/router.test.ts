import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Workspace } from '../model/schema';
import { FakeClock } from '../../test/support/fake-clock';
import { retryAfterSeconds } from './retry-after';
import { compileRoutes, matchApi } from './route-table';
import { Router } from './router';

const breaker = (count = 1) => ({
  rules: [{ name: 'r', failureCondition: { count, interval: 'PT1M', statusCodeRanges: [{ min: 429, max: 429 }, { min: 500, max: 599 }] }, tripDuration: 'PT1M', acceptRetryAfter: true }],
});

const ws = (members: { backend: string; priority?: number; weight?: number }[]): Workspace => ({
  version: 1,
  backends: Object.fromEntries(members.map((m) => [m.backend, { url: `http://127.0.0.1:1/${m.backend}`, circuitBreaker: breaker() }])),
  pools: { pool: { services: members } },
  apis: { ai: { path: 'openai', backend: 'pool' } },
});

describe('Router', () => {
  it('B7: all members open → no pick, Retry-After = whole seconds until the earliest closes', () => {
    const c = new FakeClock();
    const r = new Router(compileRoutes(ws([{ backend: 'a' }, { backend: 'b' }])));
    const t = r.targets.get('pool')!;
    r.record('a', c.now(), { status: 429, retryAfterMs: 30_000 });
    c.advance(2_000);
    r.record('b', c.now(), { status: 429, retryAfterMs: 45_000 });
    c.advance(500);
    expect(t.choose(c.now())).toBe(-1);
    expect(retryAfterSeconds(t.msUntilAvailable(c.now()))).toBe(28); // 27.5 s rounded up
    c.advance(27_500);
    expect(r.targets.get('pool')!.target.members[t.choose(c.now())]!.backend).toBe('a');
  });
  it('B7: a single backend that is open is not called either', () => {
    const r = new Router(compileRoutes(ws([{ backend: 'a' }])));
    r.record('a', 0, { status: 500 });
    expect(r.targets.get('a')!.choose(1)).toBe(-1);
    expect(r.targets.get('a')!.choose(60_000)).toBe(0);
  });
  it('B9/reload: breaker state is kept for unchanged rules, dropped for changed ones', () => {
    const w = ws([{ backend: 'a' }, { backend: 'b' }]);
    const r1 = new Router(compileRoutes(w));
    r1.record('a', 0, { status: 500 });
    r1.record('b', 0, { status: 500 });
    const w2 = structuredClone(w);
    w2.backends.b!.circuitBreaker = breaker(5);
    const r2 = new Router(compileRoutes(w2), r1);
    expect(r2.breakers.get('a')!.isOpen(1)).toBe(true);
    expect(r2.breakers.get('b')!.isOpen(1)).toBe(false);
    expect(r2.keptFrom(r1)).toEqual(['a']);
  });
  it('matches the longest API path prefix on a segment boundary', () => {
    const w: Workspace = { ...ws([{ backend: 'a' }]), apis: { one: { path: 'openai', backend: 'a' }, two: { path: 'openai/v2', backend: 'a' } } };
    const t = compileRoutes(w);
    expect(matchApi(t, '/openai/v2/chat?x=1')?.id).toBe('two');
    expect(matchApi(t, '/openai/deployments/x')?.id).toBe('one');
    expect(matchApi(t, '/openai?x')?.id).toBe('one');
    expect(matchApi(t, '/openaix/deployments')).toBeUndefined();
  });
});

describe('properties (fast-check)', () => {
  const member = fc.record({ priority: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }), weight: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }) });
  const step = fc.oneof(
    fc.record({ kind: fc.constant('call' as const), status: fc.constantFrom(200, 200, 429, 500, 503), retryAfter: fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }) }),
    fc.record({ kind: fc.constant('fail' as const) }),
    fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 90_000 }) }),
  );
  it('an open backend gets no new request; a closed backend with capacity is never skipped for a lower priority', () => {
    fc.assert(
      fc.property(fc.array(member, { minLength: 1, maxLength: 6 }), fc.array(step, { maxLength: 60 }), (specs, steps) => {
        const members = specs.map((s, i) => ({ backend: `m${i}`, ...s }));
        const router = new Router(compileRoutes(ws(members)));
        const target = router.targets.get('pool')!;
        const c = new FakeClock();
        for (const s of steps) {
          if (s.kind === 'tick') {
            c.advance(s.ms);
            continue;
          }
          const i = target.choose(c.now());
          const open = members.map((m) => router.breakers.get(m.backend)!.isOpen(c.now()));
          if (i < 0) {
            expect(open.every(Boolean)).toBe(true);
            continue;
          }
          expect(open[i]).toBe(false);
          const chosen = members[i]!;
          const prio = (m: (typeof members)[number]) => m.priority ?? 0;
          for (let j = 0; j < members.length; j++) {
            if (open[j]) continue;
            expect(prio(members[j]!)).toBeGreaterThanOrEqual(prio(chosen));
            // inside the group, a standby is used only when no weighted member is closed
            const groupWeighted = members.some((m) => prio(m) === prio(chosen) && m.weight !== undefined);
            if (groupWeighted && chosen.weight === 0 && prio(members[j]!) === prio(chosen)) expect(members[j]!.weight).toBe(0);
          }
          const outcome = s.kind === 'fail' ? { failure: 'timeout' as const } : { status: s.status, retryAfterMs: s.retryAfter === undefined ? undefined : s.retryAfter * 1000 };
          router.record(chosen.backend, c.now(), outcome);
        }
      }),
      { numRuns: 300 },
    );
  });
});
