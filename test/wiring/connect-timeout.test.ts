import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeRigs, startRig } from './gateway-rig';
import { startPendingConnect, type PendingConnect } from './pending-connect';

/*
 * Wiring (issue 19): `gateway.timeouts.connect` from a workspace file bounds the real gateway's TCP connect to a
 * backend (DESIGN §6), apart from `timeouts.response`. Backend `a` is a port whose handshake never completes
 * (./pending-connect.ts), not a refused one. The response timeout is far beyond the test's own bound, so an answer
 * at all shows the connect timeout governed; which one fired is read from the gateway's error, never from a clock.
 */
afterEach(closeRigs);

let pending: PendingConnect;
beforeEach(async () => {
  pending = await startPendingConnect();
  return () => pending.close();
});

/** Longer than every test here may run: were it the one that fired, the test would time out instead. */
const RESPONSE = 'PT60S';
const BOUND = { timeout: 20_000 };

/** Pool p of a (never connects) and b (answers), equal weights, so a is picked first and b next. */
const rig = (connect: string, api: Record<string, unknown> = {}) =>
  startRig(['b'], (u) => ({
    backends: { a: { url: pending.url }, b: { url: u.b } },
    pools: { p: { services: [{ backend: 'a' }, { backend: 'b' }] } },
    apis: { 'azure-openai': { path: 'openai', backend: 'p', ...api } },
    gateway: { timeouts: { connect, response: RESPONSE } },
  }));

describe('wiring: gateway timeouts.connect from the workspace file', () => {
  it('a connect that never completes ends in 504 BackendTimeout after the configured connect timeout', BOUND, async () => {
    const outcome = async (connect: string) => {
      const x = await (await rig(connect)).chat();
      // The dialler names the timeout it was given: the workspace's value reached the connection pool.
      return [x.status, x.code, x.backend, x.attempts, /Connect Timeout Error.*timeout: (\d+)ms/.exec(x.body)?.[1]];
    };
    expect([await outcome('PT0.2S'), await outcome('PT0.5S')]).toEqual([
      [504, 'BackendTimeout', 'a', '1', '200'],
      [504, 'BackendTimeout', 'a', '1', '500'],
    ]);
  });

  it('retry.on naming 500 sends the try that could not connect to the other member; without 500 the 504 reaches the client (F-RETRY-3)', BOUND, async () => {
    const outcome = async (on: number[]) => {
      const r = await rig('PT0.2S', { retry: { count: 1, on } });
      const x = await r.chat();
      const failovers = r.events.filter((e) => e.type === 'failover').map((e) => [e.backend, 'to' in e ? e.to : undefined, e.reason]);
      return { answer: [x.status, x.code ?? null, x.backend, x.attempts], calls: r.calls(), failovers };
    };
    expect(await outcome([500])).toEqual({ answer: [200, null, 'b', '2'], calls: { b: 1 }, failovers: [['a', 'b', 'timeout']] });
    expect(await outcome([429])).toEqual({ answer: [504, 'BackendTimeout', 'a', '1'], calls: { b: 0 }, failovers: [] });
  });

  it('the connect timeout does not cut an answer whose headers come later than it', BOUND, async () => {
    const r = await startRig(['a'], (u) => ({
      backends: { a: { url: u.a } },
      apis: { 'azure-openai': { path: 'openai', backend: 'a' } },
      gateway: { timeouts: { connect: 'PT0.2S', response: RESPONSE } },
    }));
    // Connected at once, then silent well past the connect timeout: only the response timeout may end this wait.
    r.backends.a!.behave({ kind: 'slow-headers', ms: 1200 });
    const x = await r.chat();
    expect([x.status, x.backend, x.attempts, r.calls()]).toEqual([200, 'a', '1', { a: 1 }]);
  });
});
