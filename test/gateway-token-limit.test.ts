import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGateway, type GatewayHandle } from '../main/gateway';
import type { TokenLimit, TokenMetric, Workspace } from '../shared/model';
import { FakeClock } from './support/fake-clock';
import { seedWorkspace, startTestBackend, testSecrets, type TestBackend } from './support/test-backend';

/*
 * The token limit and token metric through the local gateway (DESIGN §6), under an injected clock: the test
 * backends answer usage 11 prompt + 7 completion = 18 tokens per request.
 */
let east: TestBackend;
let uk: TestBackend;
let gw: GatewayHandle;
let clock: FakeClock;

const limit = (over: Partial<TokenLimit>): TokenLimit => ({ tokensPerMinute: 30, counterKey: { header: 'x-tenant' }, estimatePromptTokens: false, flavour: 'azure-openai', ...over });
const metric: TokenMetric = { flavour: 'azure-openai', namespace: 'openai', dimensions: ['API ID', { name: 'tenant', header: 'x-tenant' }] };

async function start(tokenLimit: TokenLimit | undefined, tokenMetric?: TokenMetric) {
  const ws = seedWorkspace(east, uk, { retry: { count: 0, on: [429] } }) as Workspace;
  ws.apis!['azure-openai'] = { ...ws.apis!['azure-openai']!, ...(tokenLimit ? { tokenLimit } : {}), ...(tokenMetric ? { tokenMetric } : {}) };
  gw = await startGateway({ workspace: ws, secrets: testSecrets, now: clock.now });
}

const received = () => east.received.length + uk.received.length;

async function chat(tenant: string, opts: { content?: string; stream?: boolean } = {}) {
  const res = await fetch(`${gw.url}/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tenant': tenant },
    body: JSON.stringify({ messages: [{ role: 'user', content: opts.content ?? 'hi' }], ...(opts.stream ? { stream: true, stream_options: { include_usage: true } } : {}) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text };
}

beforeEach(async () => {
  clock = new FakeClock();
  east = await startTestBackend('east');
  uk = await startTestBackend('uk');
});
afterEach(async () => {
  await gw?.close();
  await east.close();
  await uk.close();
});

describe('token limit in the local gateway', () => {
  it('caps one tenant with 429 TokenLimitExceeded before any backend is called, leaves the other alone, frees after the window', async () => {
    await start(limit({ remainingTokensHeader: 'x-remaining-tokens' }));
    expect((await chat('b')).status).toBe(200); // 18 used
    const second = await chat('b'); // 18 < 30: admitted, then 36 used
    expect(second.status).toBe(200);
    expect(second.headers.get('x-remaining-tokens')).toBe('12');
    const before = received();
    clock.advance(10_000);
    const capped = await chat('b');
    expect(capped.status).toBe(429);
    expect(JSON.parse(capped.text).error.code).toBe('TokenLimitExceeded');
    expect(capped.headers.get('x-breakerboard-attempts')).toBe('0');
    expect(capped.headers.get('x-breakerboard-backend')).toBeNull();
    expect(capped.headers.get('x-remaining-tokens')).toBe('0');
    // The first answer's charges leave at ~60 s after they were made: 50 s from now, in whole seconds.
    expect(Number(capped.headers.get('retry-after'))).toBe(51);
    expect(received()).toBe(before);
    expect((await chat('a')).status).toBe(200);
    clock.advance(50_200);
    expect((await chat('b')).status).toBe(200);
    expect(gw.status()).toBeDefined();
  });

  it('with estimatePromptTokens, a prompt that would go over is refused before the call; without, it is let through', async () => {
    const long = 'x'.repeat(200); // 50 tokens + 4 for the message
    await start(limit({ estimatePromptTokens: true }));
    const r = await chat('a', { content: long });
    expect(r.status).toBe(429);
    expect(JSON.parse(r.text).error.message).toMatch(/alone is estimated at 54 tokens/);
    expect(received()).toBe(0);
    await gw.close();
    await start(limit({ estimatePromptTokens: false }));
    expect((await chat('a', { content: long })).status).toBe(200);
  });

  it('charges streamed usage from the final chunk, and estimates a streamed prompt whatever estimatePromptTokens says', async () => {
    await start(limit({ tokensPerMinute: 20, tokensConsumedHeader: 'x-consumed', remainingTokensHeader: 'x-remaining-tokens' }));
    const s = await chat('a', { stream: true });
    expect(s.status).toBe(200);
    expect(s.text).toContain('data: [DONE]');
    // Streams are estimated (Learn): 4 + 1 tokens for "hi", charged before the call and shown as consumed.
    expect(s.headers.get('x-consumed')).toBe('5');
    expect(s.headers.get('x-remaining-tokens')).toBe('15');
    // The final chunk's usage (18) replaced the estimate: 2 left, so a streamed prompt of 5 no longer fits.
    const next = await chat('a', { stream: true });
    expect(next.status).toBe(429);
  });

  it('answers 403 TokenQuotaExceeded when the quota of the period is used up, with Retry-After to the period end', async () => {
    clock.t = Date.UTC(2026, 10, 25, 10, 59, 30);
    await start(limit({ tokensPerMinute: undefined, quota: { tokens: 18, period: 'Hourly' } }));
    expect((await chat('a')).status).toBe(200);
    const r = await chat('a');
    expect(r.status).toBe(403);
    expect(JSON.parse(r.text).error.code).toBe('TokenQuotaExceeded');
    expect(r.headers.get('retry-after')).toBe('30');
    clock.t = Date.UTC(2026, 10, 25, 11, 0, 0);
    expect((await chat('a')).status).toBe(200);
  });

  it('keeps counters per key under concurrent requests', async () => {
    await start(limit({ tokensPerMinute: 36 }));
    const first = await Promise.all(['a', 'b', 'a', 'b'].map((t) => chat(t)));
    expect(first.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const next = await Promise.all(['a', 'b', 'c'].map((t) => chat(t)));
    expect(next.map((r) => r.status)).toEqual([429, 429, 200]);
  });
});

describe('token metric on /metrics', () => {
  it('counts prompt and completion tokens per api, backend and the policy dimensions', async () => {
    await start(undefined, metric);
    await chat('a');
    await chat('a');
    await chat('b');
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    const line = (tenant: string, kind: string) => new RegExp(`^breakerboard_llm_tokens_total\\{api="azure-openai",backend="(aoai-eastus|aoai-uksouth)",kind="${kind}",api_id="azure-openai",tenant="${tenant}"\\} (\\d+)$`, 'gm');
    const sum = (re: RegExp) => [...text.matchAll(re)].reduce((n, m) => n + Number(m[2]), 0);
    expect(sum(line('a', 'prompt'))).toBe(22);
    expect(sum(line('a', 'completion'))).toBe(14);
    expect(sum(line('b', 'prompt'))).toBe(11);
    expect(text).toMatch(/# TYPE breakerboard_llm_tokens_total counter/);
  });
});
