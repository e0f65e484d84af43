import { afterEach, describe, expect, it } from 'vitest';
import { accessLogTap } from './access-log-tap';
import { closeRigs, rule, startRig } from './gateway-rig';
import { response, startRawUpstream, type RawUpstream } from './raw-upstream';

/*
 * What one try leaves behind where a user reads it (issue 19 item 7, the exchange's survivors in
 * docs/mutation-survivors.md): the backend meter in /status and /metrics, the failover events, the open time a
 * Retry-After gives at a drill speed, and the access-log line of a client that left during a try.
 */
const raws: RawUpstream[] = [];
afterEach(async () => {
  await closeRigs();
  for (const u of raws.splice(0)) await u.close();
});

/** Waits (bounded) until the gateway has done what `cond` reads. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(cond()).toBe(true);
}

describe('what a try leaves behind', () => {
  it('without a breaker rule, 429 and 5xx count as failures and other statuses not; with a rule, its ranges decide', async () => {
    const r = await startRig(['a', 'b'], (u) => ({
      backends: { a: { url: u.a }, b: { url: u.b, circuitBreaker: rule({ count: 5, ranges: [[404, 404]] }) } },
      apis: { 'azure-openai': { path: 'openai', backend: 'a' }, 'rule-api': { path: 'b', backend: 'b' } },
    }));
    for (const status of [200, 404, 429, 500]) {
      r.backends.a!.behave({ kind: 'status', status });
      await r.chat();
    }
    for (const status of [404, 500, 404]) {
      r.backends.b!.behave({ kind: 'status', status });
      await r.chat({ path: 'b' });
    }
    const { a, b } = r.gw.status().backends;
    expect(a).toMatchObject({ requests: 4, failures: 2, failuresByReason: { status: 2 }, total: { requests: 4, failures: 2 } });
    expect(b).toMatchObject({ requests: 3, failures: 2, failuresByReason: { status: 2 } });
    const metrics = await (await fetch(`${r.gw.url}/metrics`)).text();
    expect(metrics).toContain('breakerboard_failures_total{backend="a",reason="status"} 2');
    expect(metrics).toContain('breakerboard_failures_total{backend="b",reason="status"} 2');
  });

  it('a try waiting for its answer is in flight; a client that leaves meanwhile is logged 499, counted client-abort, not a failure', async () => {
    const up = await startRawUpstream(() => ({ then: 'hang' }));
    raws.push(up);
    const log = accessLogTap();
    const r = await startRig([], () => ({ backends: { a: { url: up.url } }, apis: { 'azure-openai': { path: 'openai', backend: 'a' } } }), { accessLog: log.write });
    const ac = new AbortController();
    const pending = fetch(`${r.gw.url}/openai/deployments/gpt-4o/chat/completions`, { method: 'POST', body: '{}', signal: ac.signal }).then(
      () => 'answered',
      (e: Error) => e.name,
    );
    await up.arrived(1);
    expect(r.gw.status().backends.a!.inFlight).toBe(1);
    ac.abort();
    expect(await pending).toBe('AbortError');
    expect(await log.logged(1)).toMatchObject([{ status: 499, code: 'ClientClosedRequest', backend: 'a', attempts: 1 }]);
    expect(r.gw.status().backends.a).toMatchObject({ inFlight: 0, requests: 0, failures: 0, failuresByReason: { 'client-abort': 1 } });
  });

  it('each failover event names the try it starts and why the last one failed', async () => {
    const r = await startRig(['a', 'refused:b', 'c'], (u) => ({
      backends: { a: { url: u.a, circuitBreaker: rule() }, b: { url: u.b, circuitBreaker: rule() }, c: { url: u.c } },
      pools: { p: { services: [{ backend: 'a', priority: 1 }, { backend: 'b', priority: 2 }, { backend: 'c', priority: 3 }] } },
      apis: { 'azure-openai': { path: 'openai', backend: 'p', retry: { count: 2, on: [429, 500] } } },
    }));
    r.backends.a!.behave({ kind: 'status', status: 429 });
    expect(await r.chat()).toMatchObject({ status: 200, backend: 'c', attempts: '3' });
    const at = r.clock.iso();
    expect(r.events.filter((e) => e.type === 'failover')).toEqual([
      { type: 'failover', backend: 'a', to: 'b', api: 'azure-openai', attempt: 2, at, reason: '429' },
      { type: 'failover', backend: 'b', to: 'c', api: 'azure-openai', attempt: 3, at, reason: 'connection-failure' },
    ]);
  });

  it('a Retry-After is divided by the drill speed, like the trip duration: at speed 10, Retry-After 30 opens for 3 s', async () => {
    const r = await startRig(['a'], (u) => ({ backends: { a: { url: u.a, circuitBreaker: rule({ acceptRetryAfter: true }) } }, apis: { 'azure-openai': { path: 'openai', backend: 'a' } } }), { speed: 10 });
    r.backends.a!.behave({ kind: 'status', status: 429, retryAfter: '30' });
    expect(await r.chat()).toMatchObject({ status: 429 });
    expect(r.gw.status().backends.a).toMatchObject({ state: 'open', openUntil: new Date(r.clock.t + 3_000).toISOString(), reason: '429, Retry-After 30' });
  });

  it('a retried answer whose body then breaks is dropped whole: the retry answers, nothing more is counted', async () => {
    const up = await startRawUpstream(() => ({ bytes: response('429 Too Many Requests', [['Content-Type', 'application/json'], ['Content-Length', '100']], '{"error":'), then: 'end' }));
    raws.push(up);
    const r = await startRig(['b'], (u) => ({
      backends: { a: { url: up.url, circuitBreaker: rule() }, b: { url: u.b } },
      pools: { p: { services: [{ backend: 'a', priority: 1 }, { backend: 'b', priority: 2 }] } },
      apis: { 'azure-openai': { path: 'openai', backend: 'p', retry: { count: 1, on: [429] } } },
    }));
    expect(await r.chat()).toMatchObject({ status: 200, backend: 'b', attempts: '2' });
    // The cut reaches the gateway after the 429's status line: wait until it ended that try.
    await until(() => r.gw.status().backends.a!.inFlight === 0);
    expect(r.gw.status().backends.a!.failuresByReason).toEqual({ status: 1 });
    expect(r.gw.status().gatewayErrors).toEqual({});
  });
});
