import OpenAI, { AzureOpenAI } from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGateway, type GatewayEvent, type GatewayHandle } from '../main/gateway';
import { FakeClock } from './support/fake-clock';
import { seedWorkspace, startTestBackend, testSecrets, type TestBackend } from './support/test-backend';

// The official openai SDK (v6) as the client, through the gateway, to local test backends (issue 3 tests).
let east: TestBackend;
let uk: TestBackend;
let gw: GatewayHandle;
let events: GatewayEvent[];

/** Timers the test fires by hand (the engine's reset announcements): what was armed, for how long. */
class ManualTimers {
  readonly armed: { fn: () => void; ms: number; cleared: boolean }[] = [];
  readonly setTimeout = (fn: () => void, ms: number): unknown => {
    const t = { fn, ms, cleared: false };
    this.armed.push(t);
    return t;
  };
  readonly clearTimeout = (h: unknown): void => {
    if (h) (h as { cleared: boolean }).cleared = true;
  };
  /** The timers still armed. */
  pending() {
    return this.armed.filter((t) => !t.cleared);
  }
}

async function start(speed = 1, clock?: { now: () => number; timers?: ManualTimers }) {
  gw = await startGateway({ workspace: seedWorkspace(east, uk), secrets: testSecrets, speed, ...(clock ?? {}) });
  events = [];
  gw.subscribe((e) => events.push(e));
}

beforeEach(async () => {
  east = await startTestBackend('east');
  uk = await startTestBackend('uk');
});
afterEach(async () => {
  await gw?.close();
  await east.close();
  await uk.close();
});

const azure = () => new AzureOpenAI({ endpoint: gw.url, apiKey: 'client-key', apiVersion: '2024-10-21', deployment: 'gpt-4o', maxRetries: 0 });
const openai = () => new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'client-key', maxRetries: 0 });

describe('openai SDK through the gateway', () => {
  it('AzureOpenAI chat, non-streaming: path mapped, credentials swapped, headers added, tokens counted', async () => {
    await start();
    const { data, response } = await azure()
      .chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe('hello from east');
    expect(response.headers.get('x-breakerboard-backend')).toBe('aoai-eastus');
    expect(response.headers.get('x-breakerboard-attempts')).toBe('1');
    const got = east.received[0]!;
    expect(got.url).toBe('/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21');
    expect(got.headers['api-key']).toBe('secret-of-aoai-eastus-key');
    expect(got.headers.authorization).toBeUndefined();
    const s = gw.status();
    expect(s.backends['aoai-eastus']).toMatchObject({ state: 'closed', requests: 1, failures: 0, byStatus: { '200': 1 }, tokens: { prompt: 11, completion: 7 } });
    expect(s.backends['aoai-eastus']!.latencyMs.p50).toBeGreaterThan(0);
  });

  it('OpenAI (baseURL …/v1) streaming chat passes chunks through and counts usage from the final chunk', async () => {
    await start();
    const stream = await openai().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let sawUsage = false;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) sawUsage = true;
    }
    expect(text).toBe('hello from east');
    expect(sawUsage).toBe(true);
    expect(east.received[0]!.url).toBe('/openai/chat/completions');
    expect(east.received[0]!.headers['api-key']).toBe('secret-of-aoai-eastus-key');
    expect(gw.status().backends['aoai-eastus']!.tokens).toEqual({ prompt: 11, completion: 7 });
  });

  it('embeddings, both client styles', async () => {
    await start();
    const a = await azure().embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    expect(a.data).toHaveLength(2);
    const b = await openai().embeddings.create({ model: 'text-embedding-3-small', input: 'x' });
    expect(b.data[0]!.embedding).toEqual([0.5, 0.25, 0.125]);
  });

  it('seed scenario: the heavier backend answers 429 + Retry-After → every call served by the other, breaker open until the right time', async () => {
    const clock = new FakeClock();
    await start(1, { now: clock.now });
    east.behave({ kind: 'status', status: 429, retryAfter: '30' });
    const client = azure();
    const tripAt = clock.t;
    const attempts: string[] = [];
    for (let i = 0; i < 20; i++) {
      const { data, response } = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: `call ${i}` }] }).withResponse();
      expect(data.choices[0]!.message.content).toBe('hello from uk');
      expect(response.headers.get('x-breakerboard-backend')).toBe('aoai-uksouth');
      attempts.push(response.headers.get('x-breakerboard-attempts')!);
      clock.advance(1000);
    }
    expect(attempts[0]).toBe('2'); // the tripping call failed over inside the gateway
    expect(attempts.slice(1).every((a) => a === '1')).toBe(true); // then east is not called at all
    expect(east.received).toHaveLength(1);
    const s = gw.status();
    expect(s.backends['aoai-eastus']!.state).toBe('open');
    expect(s.backends['aoai-eastus']!.reason).toBe('429, Retry-After 30');
    // Retry-After 30 from the moment of the trip, on the gateway's clock.
    expect(Date.parse(s.backends['aoai-eastus']!.openUntil!)).toBe(tripAt + 30_000);
    expect(s.pools.mybackendpool!.members.map((m) => m.state)).toEqual(['open', 'closed']);
    const trip = events.find((e) => e.type === 'trip');
    expect(trip).toMatchObject({ type: 'trip', backend: 'aoai-eastus', reason: '429, Retry-After 30', at: new Date(tripAt).toISOString() });
    expect(events.find((e) => e.type === 'failover')).toMatchObject({ backend: 'aoai-eastus', to: 'aoai-uksouth' });
    // 30 s after the trip it takes traffic again (the clock says so, no timer needed to route).
    clock.t = tripAt + 30_000;
    expect(gw.status().backends['aoai-eastus']!.state).toBe('closed');
    clock.t = tripAt + 29_999;
    expect(gw.status().backends['aoai-eastus']!.state).toBe('open');
    // and by hand it closes again
    const r = await fetch(`${gw.url}/_breakerboard/backends/aoai-eastus/reset`, { method: 'POST' });
    expect(r.status).toBe(200);
    expect(gw.status().backends['aoai-eastus']!.state).toBe('closed');
    expect(events.at(-1)).toMatchObject({ type: 'reset', backend: 'aoai-eastus', reason: 'manual' });
  });

  it('a timer announces the reset at openUntil (speed 100: Retry-After 30 → 300 ms), on the injected clock and timers', async () => {
    const clock = new FakeClock();
    const timers = new ManualTimers();
    await start(100, { now: clock.now, timers });
    east.behave({ kind: 'status', status: 429, retryAfter: '30' });
    await azure().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] });
    expect(gw.status().backends['aoai-eastus']!.state).toBe('open');
    const trip = events.find((e) => e.type === 'trip')! as GatewayEvent & { openUntil: string };
    // Retry-After 30 at speed 100: open for exactly 300 ms from the 429, and one timer armed for that long.
    expect(Date.parse(trip.openUntil) - Date.parse(trip.at)).toBe(300);
    expect(timers.pending().map((t) => t.ms)).toEqual([300]);
    // A timer that fires a moment early announces nothing and arms itself again for the rest.
    clock.advance(299);
    const early = timers.pending()[0]!;
    early.cleared = true;
    early.fn();
    expect(events.some((e) => e.type === 'reset')).toBe(false);
    expect(timers.pending().map((t) => t.ms)).toEqual([1]);
    clock.advance(1);
    const onTime = timers.pending()[0]!;
    onTime.cleared = true;
    onTime.fn();
    const reset = events.find((e) => e.type === 'reset')!;
    expect(reset).toMatchObject({ backend: 'aoai-eastus', reason: 'expired', at: trip.openUntil });
    expect(gw.status().backends['aoai-eastus']!.state).toBe('closed');
    expect(timers.pending()).toEqual([]);
  });
});
