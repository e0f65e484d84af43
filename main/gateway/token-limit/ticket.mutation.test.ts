import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { TokenLimit } from '../../../shared/model/schema';
import { estimatePrompt } from '../../../shared/semantics/prompt-estimate';
import type { TokenDecision, TokenLimiter } from '../../../shared/semantics/token-limit';
import type { ApiTokenPolicy, TokenPolicies } from './policies';
import { LlmTokenSeries, MAX_SERIES } from './series';
import { admitTokens, TokenTicket, type TokenExchange } from './ticket';

/* Exact values of a token ticket (operation path, refusal headers, remaining/consumed headers, metric) and of the
 * bounded token series, with a scripted limiter and a fake response: no server, no clock but the injected one. */

interface Written { status: number; headers: string[]; body: string }

function exchange(rest: string, body: string | null = null) {
  const written: Written[] = [];
  const finished: Array<[number, string | undefined]> = [];
  const errors: string[] = [];
  const res = {
    headersSent: false,
    writeHead(status: number, headers: string[]) { written.push({ status, headers, body: '' }); },
    end(b: string) { written.at(-1)!.body = b; },
  } as unknown as ServerResponse;
  const req = { headers: {}, socket: { remoteAddress: '127.0.0.1' } } as unknown as IncomingMessage;
  let t = 1000;
  const ex: TokenExchange = {
    api: { id: 'api1' }, req, res, rest, body: body === null ? null : Buffer.from(body),
    engine: { now: () => (t += 10), gatewayError: (c) => errors.push(c) },
    finish: (s, c) => finished.push([s, c]),
  };
  return { ex, written, finished, errors };
}

function limiter(decision: TokenDecision) {
  const admitted: Array<[string, number, number]> = [];
  const settled: unknown[] = [];
  const l = {
    admit: (key: string, now: number, est: number) => { admitted.push([key, now, est]); return decision; },
    settle: (...a: unknown[]) => settled.push(a),
  } as unknown as TokenLimiter;
  return { l, admitted, settled };
}

const opDim = { label: 'operation', read: (_s: unknown, ctx: { api: string; operation: string }) => ctx.operation };

function operationOf(rest: string): string {
  const series = new LlmTokenSeries();
  const { ex } = exchange(rest);
  new TokenTicket(ex, { metric: { dimensions: [opDim] } }, series).settle({ prompt: 3, completion: 4 }, 'b1');
  return [...series.all()][0]!.dimensions.operation!;
}

describe('TokenTicket exact values', () => {
  it('derives the operation from the rest path: query dropped, deployment prefix and leading slash removed', () => {
    expect(operationOf('/deployments/gpt-4o/chat/completions?api-version=2024-10-21')).toBe('chat/completions');
    expect(operationOf('/embeddings?a=b')).toBe('embeddings');
    expect(operationOf('chat/completions')).toBe('chat/completions');
    expect(operationOf('/x/deployments/ab/chat')).toBe('x/deployments/ab/chat');
    expect(operationOf('/deployments//chat')).toBe('deployments//chat');
    expect(operationOf('')).toBe('');
  });

  it('records the usage per api, backend and dimensions; without usage the prompt estimate, without both nothing', () => {
    const body = JSON.stringify({ stream: true, messages: [{ role: 'user', content: 'hello there, how are you today?' }] });
    const est = estimatePrompt(body).estimate;
    expect(est).toBeGreaterThan(0);
    const series = new LlmTokenSeries();
    const lim = limiter({ ok: true });
    const policy: ApiTokenPolicy = { limit: { spec: {} as TokenLimit, limiter: lim.l, key: () => 'k1' }, metric: { dimensions: [opDim] } };
    const { ex } = exchange('/deployments/d/chat/completions', body);
    const t = new TokenTicket(ex, policy, series);
    expect(t.admitWithBody()).toBe(true);
    expect(lim.admitted).toEqual([['k1', 1020, est]]);
    t.settle(null, 'b1');
    expect(lim.settled).toEqual([['k1', 1020, 1030, est, null]]);
    expect([...series.all()]).toEqual([{ api: 'api1', backend: 'b1', dimensions: { operation: 'chat/completions' }, prompt: est, completion: 0 }]);

    const quiet = new LlmTokenSeries();
    const t2 = new TokenTicket(exchange('/embeddings').ex, { metric: { dimensions: [] } }, quiet);
    t2.settle(null, 'b1');
    expect([...quiet.all()]).toEqual([]);
  });

  it('admits without a limit (early and with the body)', () => {
    const t = new TokenTicket(exchange('/embeddings', '{}').ex, {}, new LlmTokenSeries());
    expect(t.admitEarly()).toBe(true);
    expect(t.admitWithBody()).toBe(true);
  });

  it('refuses with the lower-cased Retry-After header name, the remaining headers it knows and the finish code', () => {
    const lim = limiter({ ok: false, status: 429, code: 'TokenLimitExceeded', retryAfterMs: 1500, message: 'over', remainingTokens: 0 });
    const spec = { retryAfterHeader: 'X-Retry-After', remainingTokensHeader: 'x-rem', remainingQuotaTokensHeader: 'x-quota' } as unknown as TokenLimit;
    const e = exchange('/chat/completions');
    const policies = { get: () => ({ limit: { spec, limiter: lim.l, key: () => 'k' } }), series: new LlmTokenSeries() } as unknown as TokenPolicies;
    const slot: TokenExchange & { tokens?: TokenTicket } = e.ex;
    expect(admitTokens(policies, slot)).toBe(false);
    expect(slot.tokens).toBeInstanceOf(TokenTicket);
    expect(e.written).toHaveLength(1);
    expect(e.written[0]!.status).toBe(429);
    expect(e.written[0]!.headers.slice(4)).toEqual(['x-retry-after', '2', 'x-breakerboard-attempts', '0', 'x-rem', '0']);
    expect(JSON.parse(e.written[0]!.body)).toEqual({ error: { code: 'TokenLimitExceeded', message: 'over; retry in 2 s' } });
    expect(e.errors).toEqual(['TokenLimitExceeded']);
    expect(e.finished).toEqual([[429, 'TokenLimitExceeded']]);
  });

  it('puts only the remaining values the limiter gave, and the consumed header only for a positive estimate', () => {
    const spec = { remainingTokensHeader: 'x-rem', remainingQuotaTokensHeader: 'x-quota', tokensConsumedHeader: 'x-used' } as unknown as TokenLimit;
    const headersFor = (d: TokenDecision, body: string | null, estimate: boolean) => {
      const s = { ...spec, estimatePromptTokens: estimate } as TokenLimit;
      const t = new TokenTicket(exchange('/chat', body).ex, { limit: { spec: s, limiter: limiter(d).l, key: () => 'k' } }, new LlmTokenSeries());
      expect(t.admitWithBody()).toBe(true);
      const out: string[] = [];
      t.responseHeaders(out);
      return out;
    };
    expect(headersFor({ ok: true, remainingQuota: 7 }, '{}', false)).toEqual(['x-quota', '7']);
    expect(headersFor({ ok: true, remainingTokens: 5 }, null, true)).toEqual(['x-rem', '5']);
    const body = JSON.stringify({ messages: [{ role: 'user', content: 'count me please' }] });
    const est = estimatePrompt(body).estimate;
    expect(headersFor({ ok: true }, body, true)).toEqual(['x-used', String(est)]);
  });
});

describe('LlmTokenSeries', () => {
  it('keeps api, backend and dimension labels and values apart (no key collision) and sums repeated samples', () => {
    const s = new LlmTokenSeries();
    s.add('a', 'bc', {}, 1, 2);
    s.add('ab', 'c', {}, 3, 4);
    s.add('a', 'bc', {}, 10, 20);
    expect([...s.all()]).toEqual([
      { api: 'a', backend: 'bc', dimensions: {}, prompt: 11, completion: 22 },
      { api: 'ab', backend: 'c', dimensions: {}, prompt: 3, completion: 4 },
    ]);
    const d = new LlmTokenSeries();
    d.add('a', 'b', { x: 'yz' }, 1, 0);
    d.add('a', 'b', { xy: 'z' }, 2, 0);
    expect([...d.all()].map((e) => e.prompt)).toEqual([1, 2]);
  });

  it('bounds the series at MAX_SERIES and counts what the totals dropped', () => {
    const s = new LlmTokenSeries();
    for (let i = 0; i < MAX_SERIES; i++) s.add('a', 'b', { d: String(i) }, 1, 0);
    expect(s.dropped).toBe(0);
    s.add('a', 'b', { d: 'over' }, 1, 0);
    expect(s.dropped).toBe(1);
    expect([...s.all()]).toHaveLength(MAX_SERIES);
    expect(s.takeSecond()).toHaveLength(MAX_SERIES);
    // The second is fresh, the totals are full: the sample counts in the second, is dropped from the totals.
    s.add('a', 'b', { d: 'late' }, 2, 3);
    expect(s.dropped).toBe(2);
    expect(s.takeSecond()).toEqual([{ api: 'a', backend: 'b', dimensions: { d: 'late' }, prompt: 2, completion: 3 }]);
    expect([...s.all()]).toHaveLength(MAX_SERIES);
  });
});
