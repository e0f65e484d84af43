import { afterEach, describe, expect, it } from 'vitest';
import { exportBicep } from '../../shared/export';
import { validateWorkspace } from '../../shared/model';
import { compileRoutes, Router } from '../../shared/semantics';
import { FakeClock } from '../support/fake-clock';
import { chats, closeRigs, rule, startRig, type Rig } from '../wiring/gateway-rig';

/* Parity suite, circuit-breaker rows of docs/apim-fidelity.md: the real gateway, time driven by the injected clock. */
afterEach(closeRigs);

/** One backend `a` used directly by the API, with the given rule. */
const single = (r: ReturnType<typeof rule>) => startRig(['a'], (u) => ({ backends: { a: { url: u.a, circuitBreaker: r } }, apis: { 'azure-openai': { path: 'openai', backend: 'a' } } }));
const fail = (rig: Rig, status = 500, retryAfter?: string) => rig.backends.a!.behave({ kind: 'status', status, retryAfter });
const heal = (rig: Rig) => rig.backends.a!.behave({ kind: 'ok' });

describe('fidelity: circuit breaker', () => {
  it('F-CB-1: count N trips at the Nth failure inside the sliding interval, not when they are further apart', async () => {
    const r = await single(rule({ count: 2, interval: 'PT1M', ranges: [[500, 599]] }));
    fail(r);
    await r.chat();
    r.clock.advance(60_001); // the first failure leaves the window
    await r.chat();
    expect(r.state('a')).toBe('closed');
    r.clock.advance(59_000);
    await r.chat();
    expect(r.state('a')).toBe('open');
    expect((await r.chat()).code).toBe('NoHealthyBackend');
  });

  it('F-CB-2: percentage P trips when failures reach P % of the responses inside the interval', async () => {
    const r = await single(rule({ percentage: 50, interval: 'PT1M', ranges: [[500, 599]] }));
    await chats(r, 2);
    fail(r);
    await r.chat(); // 1 of 3
    expect(r.state('a')).toBe('closed');
    await r.chat(); // 2 of 4
    expect(r.state('a')).toBe('open');
  });

  it('F-CB-3: open for tripDuration, then fully closed (no half-open probe decides it)', async () => {
    const r = await single(rule({ count: 1, ranges: [[500, 599]], tripDuration: 'PT45S' }));
    fail(r);
    await r.chat();
    heal(r);
    r.clock.advance(44_999);
    expect((await r.chat()).status).toBe(503);
    r.clock.advance(1);
    expect((await chats(r, 3)).map((x) => x.status)).toEqual([200, 200, 200]);
    expect(r.calls().a).toBe(4);
  });

  it('F-CB-4: acceptRetryAfter keeps it open as long as Retry-After says, instead of tripDuration', async () => {
    const r = await single(rule({ count: 1, tripDuration: 'PT1M', acceptRetryAfter: true }));
    fail(r, 429, '10');
    await r.chat();
    heal(r);
    r.clock.advance(9_999);
    expect((await r.chat()).status).toBe(503);
    r.clock.advance(1);
    expect((await r.chat()).status).toBe(200);
  });

  it('F-CB-5: the window empties at a trip, so a tripDuration shorter than the interval does not re-trip at once', async () => {
    const r = await single(rule({ count: 2, interval: 'PT2M', ranges: [[500, 599]], tripDuration: 'PT30S' }));
    fail(r);
    await chats(r, 2);
    expect(r.state('a')).toBe('open');
    r.clock.advance(30_000);
    await r.chat(); // one new failure; the two before the trip are gone
    expect(r.state('a')).toBe('closed');
    await r.chat();
    expect(r.state('a')).toBe('open');
    expect(validateWorkspace({ version: 1, backends: { a: { url: 'https://a.example.com', circuitBreaker: rule({ interval: 'PT2M', tripDuration: 'PT30S', ranges: [[500, 599]] }) } }, apis: { x: { path: 'x', backend: 'a' } } }).warnings).toEqual([]);
  });

  it('F-CB-6: a try with no response counts as a failure although the ranges name only 429', async () => {
    const r = await startRig(['refused:a'], (u) => ({ backends: { a: { url: u.a, circuitBreaker: rule({ count: 1, ranges: [[429, 429]] }) } }, apis: { 'azure-openai': { path: 'openai', backend: 'a' } } }));
    expect((await r.chat()).code).toBe('BackendUnavailable');
    expect(r.gw.status().backends.a).toMatchObject({ state: 'open', reason: 'connection-failure' });
  });

  it("F-CB-7: a breaker rule's failureResponse is the answer while the backend an API calls directly is open", async () => {
    const r = await single(rule({ count: 1, failureResponse: 429, tripDuration: 'PT20S' }));
    fail(r, 429);
    await r.chat();
    const x = await r.chat();
    expect([x.status, x.code, x.headers.get('retry-after'), r.calls().a]).toEqual([429, 'NoHealthyBackend', '20', 1]);
    const ws = validateWorkspace({ version: 1, backends: { a: { url: 'https://a.example.com', circuitBreaker: rule({ failureResponse: 429 }) } } });
    expect(exportBicep(ws.ok ? ws.workspace : (undefined as never))).toMatch(/backends@2025-03-01-preview'[\s\S]*failureResponse: \{\n\s+statusCode: 429/);
  });

  it('F-CB-8: a failure that arrives while open extends openUntil when its own would end later', () => {
    // Two in-flight answers of one backend, as the engine records them (the gateway's Router, injected clock).
    const v = validateWorkspace({ version: 1, backends: { a: { url: 'https://a.example.com', circuitBreaker: rule({ count: 1, acceptRetryAfter: true }) } } });
    const router = new Router(compileRoutes(v.ok ? v.workspace : (undefined as never)));
    const clock = new FakeClock();
    const t0 = clock.now();
    expect(router.record('a', t0, { status: 429, retryAfterMs: 10_000 })).toMatchObject({ kind: 'trip', openUntil: t0 + 10_000 });
    clock.advance(5_000);
    expect(router.record('a', clock.now(), { status: 429, retryAfterMs: 3_000 })).toBeNull(); // ends earlier: no change
    expect(router.record('a', clock.now(), { status: 429, retryAfterMs: 10_000 })).toMatchObject({ kind: 'extend', openUntil: t0 + 15_000 });
  });

  it('F-CB-9: the tripping request gets its own backend answer (with its Retry-After) when no retry sends it on', async () => {
    const r = await single(rule({ count: 1, acceptRetryAfter: true }));
    fail(r, 429, '30');
    const x = await r.chat();
    expect([x.status, x.backend, x.headers.get('retry-after'), r.state('a')]).toEqual([429, 'a', '30', 'open']);
  });
});
