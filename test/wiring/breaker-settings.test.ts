import { afterEach, describe, expect, it } from 'vitest';
import { chats, closeRigs, rule, startRig, type Rig } from './gateway-rig';

/*
 * Wiring (issue 19): each breaker setting, read from a workspace file by the real gateway, changes what happens at
 * the wire. Every test runs the same traffic under two values of one setting and expects different outcomes, so a
 * setting that is dropped, swapped or hard-coded on its way from the file to the engine fails here.
 */
afterEach(closeRigs);

type RuleOver = Parameters<typeof rule>[0];
const single = (r: RuleOver) => startRig(['a'], (u) => ({ backends: { a: { url: u.a, circuitBreaker: rule(r) } }, apis: { 'azure-openai': { path: 'openai', backend: 'a' } } }));
const failWith = (rig: Rig, status: number, retryAfter?: string) => rig.backends.a!.behave({ kind: 'status', status, retryAfter });

/** Seconds (in 5 s steps of the injected clock) until the open backend serves again. */
async function secondsUntilServed(r: Rig): Promise<number> {
  r.backends.a!.behave({ kind: 'ok' });
  for (let s = 5; s <= 120; s += 5) {
    r.clock.advance(5_000);
    if ((await r.chat()).status === 200) return s;
  }
  return -1;
}

describe('wiring: breaker settings from the workspace file', () => {
  it('statusCodeRanges: a 429 trips the backend only when a range takes in 429', async () => {
    const outcome = async (ranges: [number, number][]) => {
      const r = await single({ count: 1, ranges });
      failWith(r, 429);
      await r.chat();
      return [r.state('a'), (await r.chat()).status];
    };
    expect(await outcome([[429, 429]])).toEqual(['open', 503]);
    expect(await outcome([[500, 599]])).toEqual(['closed', 429]);
  });

  it('count: the breaker opens at the count-th failure', async () => {
    const failuresToOpen = async (count: number) => {
      const r = await single({ count, ranges: [[500, 599]] });
      failWith(r, 500);
      for (let n = 1; n <= 5; n++) {
        await r.chat();
        if (r.state('a') === 'open') return n;
      }
      return -1;
    };
    expect([await failuresToOpen(1), await failuresToOpen(3)]).toEqual([1, 3]);
  });

  it('percentage: the share of failing responses that opens the breaker', async () => {
    const opensAfterOneInFour = async (percentage: number) => {
      const r = await single({ percentage, ranges: [[500, 599]] });
      await chats(r, 3);
      failWith(r, 500);
      await r.chat();
      return r.state('a');
    };
    expect([await opensAfterOneInFour(25), await opensAfterOneInFour(30)]).toEqual(['open', 'closed']);
  });

  it('interval: two failures 20 s apart trip a count-2 rule only when the interval spans them', async () => {
    const outcome = async (interval: string) => {
      const r = await single({ count: 2, interval, ranges: [[500, 599]] });
      failWith(r, 500);
      await r.chat();
      r.clock.advance(20_000);
      await r.chat();
      return r.state('a');
    };
    expect([await outcome('PT1M'), await outcome('PT10S')]).toEqual(['open', 'closed']);
  });

  it('tripDuration: when the breaker closes again', async () => {
    const closesAt = async (tripDuration: string) => {
      const r = await single({ count: 1, ranges: [[500, 599]], tripDuration });
      failWith(r, 500);
      await r.chat();
      return secondsUntilServed(r);
    };
    expect([await closesAt('PT20S'), await closesAt('PT50S')]).toEqual([20, 50]);
  });

  it('acceptRetryAfter: Retry-After decides the open time only when accepted', async () => {
    const closesAt = async (acceptRetryAfter: boolean) => {
      const r = await single({ count: 1, tripDuration: 'PT1M', acceptRetryAfter });
      failWith(r, 429, '10');
      await r.chat();
      return secondsUntilServed(r);
    };
    expect([await closesAt(true), await closesAt(false)]).toEqual([10, 60]);
  });

  it("failureResponse (rule): the status answered while the backend is open", async () => {
    const whileOpen = async (failureResponse: number | undefined) => {
      const r = await single({ count: 1, failureResponse });
      failWith(r, 429);
      await r.chat();
      return (await r.chat()).status;
    };
    expect([await whileOpen(undefined), await whileOpen(429), await whileOpen(502)]).toEqual([503, 429, 502]);
  });
});
