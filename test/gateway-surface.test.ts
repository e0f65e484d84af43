import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, type GatewayEvent, type GatewayHandle } from '../main/gateway';
import { gatewayEventSchema, gatewaySnapshotSchema, gatewayStatusSchema } from '../shared/monitor';
import { seedWorkspace, startTestBackend, testSecrets } from './support/test-backend';

// The rest of DESIGN §3: status, events (SSE), metrics, reload, headers, keys, access log, drain.
const started: { close(): Promise<void> }[] = [];
afterEach(async () => {
  while (started.length) await started.pop()!.close();
});

async function setup(extra: Partial<Parameters<typeof startGateway>[0]> = {}) {
  const east = await startTestBackend('east');
  const uk = await startTestBackend('uk');
  started.push(east, uk);
  const gw = await startGateway({ workspace: seedWorkspace(east, uk), secrets: testSecrets, ...extra });
  started.push(gw);
  return { east, uk, gw };
}

const chat = (gw: GatewayHandle, headers: Record<string, string> = {}) =>
  fetch(`${gw.url}/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"messages":[]}' });

const waitFor = async (cond: () => boolean, ms = 3_000) => {
  for (const end = Date.now() + ms; !cond() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
  expect(cond()).toBe(true);
};

describe('gateway HTTP surface', () => {
  it('110 requests at weights 10:1 go exactly 100 / 10', async () => {
    const { gw, east, uk } = await setup();
    for (let i = 0; i < 110; i++) await (await chat(gw)).text();
    expect([east.received.length, uk.received.length]).toEqual([100, 10]);
  });

  it('remembers recent seconds and events for a screen that connects late: history(seconds)', async () => {
    const { gw, east } = await setup();
    const seen: number[] = [];
    gw.onSnapshot((s) => seen.push(s.t));
    east.behave({ kind: 'status', status: 429, retryAfter: '30' });
    await (await chat(gw)).text();
    expect(gw.reset('aoai-eastus')).toBe(true);
    await waitFor(() => seen.length >= 2, 4_000);
    const all = gw.history(900);
    expect(all.snapshots.map((s) => s.t)).toEqual(expect.arrayContaining(seen));
    for (const s of all.snapshots) gatewaySnapshotSchema.parse(s);
    expect(all.events.map((e) => e.type)).toEqual(expect.arrayContaining(['trip', 'reset']));
    const one = gw.history(1);
    expect(one.snapshots).toHaveLength(1);
    expect(one.snapshots[0]!.t).toBe(all.snapshots.at(-1)!.t);
  });

  it('/_breakerboard/status matches the shared schema', async () => {
    const { gw } = await setup();
    await (await chat(gw)).text();
    const body = await (await fetch(`${gw.url}/_breakerboard/status`)).json();
    const s = gatewayStatusSchema.parse(body);
    expect(s.backends['aoai-eastus']).toMatchObject({ state: 'closed', openUntil: null, requests: 1, byStatus: { '200': 1 } });
    expect(s.pools.mybackendpool!.members).toEqual([
      { backend: 'aoai-eastus', priority: 1, weight: 10, state: 'closed' },
      { backend: 'aoai-uksouth', priority: 1, weight: 1, state: 'closed' },
    ]);
  });

  it('/_breakerboard/events streams `event: <type>` + `data: <json>`', async () => {
    const { gw, east } = await setup();
    const ac = new AbortController();
    const r = await fetch(`${gw.url}/_breakerboard/events`, { signal: ac.signal });
    expect(r.headers.get('content-type')).toBe('text/event-stream');
    const reader = r.body!.getReader();
    east.behave({ kind: 'status', status: 429, retryAfter: '30' });
    await (await chat(gw)).text();
    let text = '';
    while (!text.includes('event: failover')) text += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    const blocks = text.split('\n\n').filter((b) => b.startsWith('event:'));
    const parsed = blocks.map((b) => {
      const [ev, data] = b.split('\n');
      const e = gatewayEventSchema.parse(JSON.parse(data!.slice('data: '.length)));
      expect(ev).toBe(`event: ${e.type}`);
      return e;
    });
    expect(parsed.map((e) => e.type)).toEqual(['trip', 'failover']);
    expect(parsed[0]).toMatchObject({ backend: 'aoai-eastus', reason: '429, Retry-After 30' });
  });

  it('/metrics: Prometheus text with the DESIGN names', async () => {
    const { gw, east } = await setup();
    await (await chat(gw)).text();
    east.behave({ kind: 'status', status: 429, retryAfter: '30' });
    await (await chat(gw)).text();
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(text).toContain('breakerboard_requests_total{backend="aoai-eastus",status="200"} 1');
    expect(text).toContain('breakerboard_requests_total{backend="aoai-eastus",status="429"} 1');
    expect(text).toContain('breakerboard_failures_total{backend="aoai-eastus",reason="status"} 1');
    expect(text).toContain('breakerboard_backend_open{backend="aoai-eastus"} 1');
    expect(text).toContain('breakerboard_backend_open{backend="aoai-uksouth"} 0');
    expect(text).toContain('breakerboard_tokens_total{backend="aoai-eastus",kind="prompt"} 11');
    expect(text).toMatch(/breakerboard_request_duration_seconds_bucket\{backend="aoai-eastus",le="\+Inf"\} 2/);
    expect(text).toContain('breakerboard_request_duration_seconds_count{backend="aoai-uksouth"} 1');
  });

  it('HTTP-date Retry-After opens until that date; over one hour also emits a warning', async () => {
    const { gw, east } = await setup();
    const events: GatewayEvent[] = [];
    gw.subscribe((e) => events.push(e));
    const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 7_200_000);
    east.behave({ kind: 'status', status: 429, retryAfter: at.toUTCString() });
    await (await chat(gw)).text();
    expect(gw.status().backends['aoai-eastus']!.openUntil).toBe(at.toISOString());
    expect(events.find((e) => e.type === 'warning')?.reason).toMatch(/over one hour/);
  });

  it('strips hop-by-hop and client credentials, keeps the rest', async () => {
    const { gw, east } = await setup();
    await (await chat(gw, { authorization: 'Bearer client', 'proxy-authorization': 'x', 'x-ms-client-request-id': 'abc', te: 'trailers' })).text();
    const h = east.received[0]!.headers;
    expect(h['x-ms-client-request-id']).toBe('abc');
    expect(h['proxy-authorization']).toBeUndefined();
    expect(h.te).toBeUndefined();
    expect(h.authorization).toBeUndefined();
    expect(h['api-key']).toBe('secret-of-aoai-eastus-key');
    expect(h.host).toBe(`127.0.0.1:${east.port}`);
  });

  it('a missing secret is reported in status.warnings and the request goes without a key', async () => {
    const { gw, east } = await setup({ secrets: { get: () => undefined } });
    expect(gw.status().warnings).toEqual([
      'backend aoai-eastus: secret "aoai-eastus-key" is not available; requests go without an api-key',
      'backend aoai-uksouth: secret "aoai-uksouth-key" is not available; requests go without an api-key',
    ]);
    await (await chat(gw, { 'api-key': 'client' })).text();
    expect(east.received[0]!.headers['api-key']).toBeUndefined();
  });

  it('unknown paths answer 404 NotFound with the configured paths', async () => {
    const { gw } = await setup();
    const r = await fetch(`${gw.url}/nope`);
    expect(r.status).toBe(404);
    expect(await r.json()).toMatchObject({ error: { code: 'NotFound' } });
  });

  it('a gateway key is required beyond loopback, and checked before credentials are stripped', async () => {
    await expect(startGateway({ workspace: seedWorkspace({ url: 'http://127.0.0.1:1/x' }, { url: 'http://127.0.0.1:1/y' }), host: '0.0.0.0' })).rejects.toThrow(/BREAKERBOARD_GATEWAY_KEY/);
    const { gw, east } = await setup({ gatewayKey: 'k3y' });
    const no = await chat(gw);
    expect(no.status).toBe(401);
    expect(await no.json()).toMatchObject({ error: { code: 'Unauthorized' } });
    expect((await chat(gw, { 'api-key': 'wrong' })).status).toBe(401);
    const ok = await chat(gw, { 'api-key': 'k3y' });
    expect(ok.status).toBe(200);
    await ok.text();
    const bearer = await chat(gw, { authorization: 'Bearer k3y' });
    expect(bearer.status).toBe(200);
    await bearer.text();
    expect(east.received.every((r) => r.headers['api-key'] === 'secret-of-aoai-eastus-key' && !r.headers.authorization)).toBe(true);
  });

  it('--access-log: one JSON line per request', async () => {
    const lines: string[] = [];
    const { gw } = await setup({ accessLog: (l) => lines.push(l) });
    await (await chat(gw)).text();
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ method: 'POST', api: 'azure-openai', status: 200, backend: 'aoai-eastus', attempts: 1 });
  });

  it('managed identity: a bearer token from the credential, fetched once and cached', async () => {
    const east = await startTestBackend('east');
    const uk = await startTestBackend('uk');
    started.push(east, uk);
    const ws = seedWorkspace(east, uk);
    ws.backends['aoai-eastus'].auth = { type: 'managed-identity' } as never;
    const scopes: string[] = [];
    const gw = await startGateway({
      workspace: ws,
      secrets: testSecrets,
      tokenCredential: () => ({
        getToken: async (scope) => {
          scopes.push(String(scope));
          return { token: `tok-${scopes.length}`, expiresOnTimestamp: Date.now() + 3_600_000 };
        },
      }),
    });
    started.push(gw);
    for (let i = 0; i < 3; i++) await (await chat(gw, { 'api-key': 'client' })).text();
    expect(scopes).toEqual(['https://cognitiveservices.azure.com/.default']);
    expect(east.received.map((r) => r.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-1']);
    expect(east.received[0]!.headers['api-key']).toBeUndefined();
  });

  it('managed identity: a token near expiry is used once more while a new one is fetched', async () => {
    const east = await startTestBackend('east');
    const uk = await startTestBackend('uk');
    started.push(east, uk);
    const ws = seedWorkspace(east, uk);
    ws.backends['aoai-eastus'].auth = { type: 'managed-identity' } as never;
    let t = Date.now();
    let n = 0;
    const gw = await startGateway({
      workspace: ws,
      now: () => t,
      tokenCredential: () => ({ getToken: async () => ({ token: `tok-${++n}`, expiresOnTimestamp: t + 10 * 60_000 }) }),
    });
    started.push(gw);
    await (await chat(gw)).text();
    t += 6 * 60_000; // 4 min left: under the 5-min refresh margin
    await (await chat(gw)).text();
    await waitFor(() => n === 2);
    await (await chat(gw)).text();
    expect(east.received.map((r) => r.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2']);
  });

  it('one snapshot per second, in the shared schema', async () => {
    const { gw } = await setup();
    const snaps: unknown[] = [];
    gw.onSnapshot((s) => snaps.push(s));
    await (await chat(gw)).text();
    await waitFor(() => snaps.length >= 1, 2_500);
    const s = gatewaySnapshotSchema.parse(snaps[0]);
    expect(Object.keys(s.backends)).toEqual(['aoai-eastus', 'aoai-uksouth']);
  });

  it('close() drains an in-flight request before exiting', async () => {
    const { gw, east } = await setup();
    east.behave({ kind: 'slow-headers', ms: 200 });
    const pending = chat(gw);
    await waitFor(() => east.received.length === 1);
    const closing = gw.close();
    const r = await pending;
    expect(r.status).toBe(200);
    await r.text();
    await closing;
  });
});

describe('reload', () => {
  it('a valid edit swaps the table, keeps unchanged breakers, emits config; an invalid edit is refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bb-gw-'));
    try {
      const east = await startTestBackend('east');
      const uk = await startTestBackend('uk');
      started.push(east, uk);
      const ws = seedWorkspace(east, uk);
      const file = join(dir, 'ws.yaml');
      await writeFile(file, stringify(ws));
      const gw = await startGateway({ workspace: ws, workspacePath: file, secrets: testSecrets });
      started.push(gw);
      const events: GatewayEvent[] = [];
      gw.subscribe((e) => events.push(e));
      east.behave({ kind: 'status', status: 429, retryAfter: '30' });
      await (await chat(gw)).text();
      expect(gw.status().backends['aoai-eastus']!.state).toBe('open');
      // change only uksouth's weight: eastus's rule is unchanged, its open breaker stays open. The watcher reads the
      // first version in the background; an edit it took for that version reports nothing, so the edit is written
      // again (each time with another comment) until a reload reports it — waiting on the event, not a fixed time.
      const edited = structuredClone(ws);
      edited.pools.mybackendpool.services[1]!.weight = 5;
      const configs = () => events.filter((e) => e.type === 'config');
      for (let i = 0; i < 10 && configs().length === 0; i++) {
        await writeFile(file, `${stringify(edited)}# edit ${i}\n`);
        for (let j = 0; j < 50 && configs().length === 0; j++) await new Promise((r) => setTimeout(r, 20));
      }
      await waitFor(() => configs().length > 0);
      expect(configs()[0]).toMatchObject({ ok: true, kept: ['aoai-eastus', 'aoai-uksouth'] });
      expect(gw.status().pools.mybackendpool!.members[1]!.weight).toBe(5);
      expect(gw.status().backends['aoai-eastus']!.state).toBe('open');
      // an invalid edit: refused with errors, the old table keeps serving
      const valid = configs().length;
      await writeFile(file, 'version: 1\nbackends: { x: { url: not-a-url } }\n');
      await waitFor(() => configs().length === valid + 1);
      const refused = configs()[valid]!;
      expect(refused).toMatchObject({ ok: false });
      expect(refused.type === 'config' && refused.errors?.[0]?.path).toBe('backends.x.url');
      const r = await chat(gw);
      expect(r.status).toBe(200);
      await r.text();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
