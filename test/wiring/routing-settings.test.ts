import { afterEach, describe, expect, it } from 'vitest';
import { chats, closeRigs, rule, startRig } from './gateway-rig';

/*
 * Wiring (issue 19): pool, retry, timeout and API settings read from a workspace file change what the real gateway
 * does at the wire. Each test runs the same traffic under two values of one setting and expects different outcomes.
 */
afterEach(closeRigs);

type Member = { backend: string; priority?: number; weight?: number };
type ApiOver = Record<string, unknown>;
/** Backends a, b, c (no breaker unless `breakers`), pool p of `members`, API `openai` on p. */
const rig = (members: Member[], api: ApiOver = {}, pool: Record<string, unknown> = {}, gateway?: object, breakers = false) =>
  startRig(['a', 'b', 'c'], (u) => ({
    backends: Object.fromEntries(['a', 'b', 'c'].map((id) => [id, { url: u[id], ...(breakers ? { circuitBreaker: rule() } : {}) }])),
    pools: { p: { services: members, ...pool } },
    apis: { 'azure-openai': { path: 'openai', backend: 'p', ...api } },
    ...(gateway ? { gateway } : {}),
  }));

describe('wiring: pool, retry, timeout and API settings from the workspace file', () => {
  it('priority: the member with the lower number serves', async () => {
    const served = async (pa: number, pb: number) => (await chats(await rig([{ backend: 'a', priority: pa }, { backend: 'b', priority: pb }]), 3)).map((x) => x.backend);
    expect([await served(1, 2), await served(2, 1)]).toEqual([['a', 'a', 'a'], ['b', 'b', 'b']]);
  });

  it('weight: the split inside a priority group', async () => {
    const split = async (wa: number, wb: number) => {
      const r = await rig([{ backend: 'a', weight: wa }, { backend: 'b', weight: wb }]);
      await chats(r, 8);
      return r.calls();
    };
    expect([await split(3, 1), await split(1, 3)]).toEqual([{ a: 6, b: 2, c: 0 }, { a: 2, b: 6, c: 0 }]);
  });

  it('retry.count: how many more tries a failing request gets', async () => {
    const attempts = async (count: number) => {
      const r = await rig([{ backend: 'a' }, { backend: 'b' }, { backend: 'c' }], { retry: { count, on: [500] } });
      for (const b of Object.values(r.backends)) b.behave({ kind: 'status', status: 500 });
      const x = await r.chat();
      const c = r.calls();
      return [x.attempts, c.a! + c.b! + c.c!];
    };
    expect([await attempts(0), await attempts(1), await attempts(2)]).toEqual([['1', 1], ['2', 2], ['3', 3]]);
  });

  it('retry.on: only the listed statuses are retried', async () => {
    const outcome = async (on: number[]) => {
      const r = await rig([{ backend: 'a' }, { backend: 'b' }], { retry: { count: 1, on } });
      r.backends.a!.behave({ kind: 'status', status: 429 });
      const x = await r.chat();
      return [x.status, x.backend, x.attempts];
    };
    expect([await outcome([429]), await outcome([503])]).toEqual([[200, 'b', '2'], [429, 'a', '1']]);
  });

  it('gateway timeouts.response: how long the gateway waits for headers', async () => {
    const status = async (response: string) => {
      const r = await rig([{ backend: 'a' }], {}, {}, { timeouts: { response } });
      r.backends.a!.behave({ kind: 'slow-headers', ms: 1200 });
      return (await r.chat()).status;
    };
    // undici's timers are coarse below a second: the backend's delay is well beyond the short timeout.
    expect([await status('PT0.3S'), await status('PT5S')]).toEqual([504, 200]);
  });

  it("api timeout: the API's forward-request timeout wins over the gateway's", async () => {
    const status = async (api: string, gateway: string) => {
      const r = await rig([{ backend: 'a' }], { timeout: api }, {}, { timeouts: { response: gateway } });
      r.backends.a!.behave({ kind: 'slow-headers', ms: 1200 });
      return (await r.chat()).status;
    };
    expect([await status('PT0.3S', 'PT5S'), await status('PT5S', 'PT0.3S')]).toEqual([504, 200]);
  });

  it('failureResponse (pool): the status when every member is open', async () => {
    const status = async (failureResponse?: number) => {
      const r = await rig([{ backend: 'a' }], {}, failureResponse ? { failureResponse: { statusCode: failureResponse } } : {}, undefined, true);
      r.backends.a!.behave({ kind: 'status', status: 429 });
      await r.chat();
      return (await r.chat()).status;
    };
    expect([await status(), await status(529)]).toEqual([503, 529]);
  });

  it('sessionAffinity: a session cookie pins requests to one member only when the pool has affinity', async () => {
    const served = async (affinity: boolean) => {
      const r = await rig([{ backend: 'a' }, { backend: 'b' }], {}, affinity ? { sessionAffinity: { sessionId: { source: 'cookie', name: 's' } } } : {});
      return (await chats(r, 4, { headers: { cookie: 's=b' } })).map((x) => x.backend);
    };
    expect([await served(true), await served(false)]).toEqual([['b', 'b', 'b', 'b'], ['a', 'b', 'a', 'b']]);
  });

  it('stream: whether an SSE answer arrives chunk by chunk or held in one piece', async () => {
    const firstHasEnd = async (stream: boolean) => {
      const r = await rig([{ backend: 'a' }], stream ? { stream: true } : {});
      const res = await fetch(`${r.gw.url}/openai/deployments/d/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"stream":true}' });
      const reader = res.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      while (!(await reader.read()).done);
      return first.includes('[DONE]');
    };
    expect([await firstHasEnd(true), await firstHasEnd(false)]).toEqual([false, true]);
  });

  it('operations: undeclared paths are refused only when the API declares operations', async () => {
    const status = async (operations?: object[]) => (await (await rig([{ backend: 'a' }], operations ? { operations } : {})).chat({ rest: '/deployments/d/embeddings' })).status;
    expect([await status([{ method: 'POST', urlTemplate: '/deployments/{id}/chat/completions' }]), await status()]).toEqual([404, 200]);
  });
});
