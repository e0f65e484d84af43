import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { validateWorkspace } from '../shared/model';
import { startGateway, type GatewayHandle } from '../main/gateway';
import { seedWorkspace, startTestBackend, testSecrets } from './support/test-backend';

// Issue 14, gateway items 1–7: each test reproduced the failure before the fix.
const started: { close(): Promise<void> }[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of started.splice(0).reverse()) await s.close();
});

async function setup(over: Parameters<typeof seedWorkspace>[2] & { tripDuration?: string; gateway?: Record<string, unknown>; path?: string } = {}) {
  const east = await startTestBackend('east');
  const uk = await startTestBackend('uk');
  started.push(east, uk);
  const ws = seedWorkspace(east, uk, { retry: over.retry ?? { count: 0, on: [429] }, timeouts: over.timeouts ?? { connect: 'PT1S', response: 'PT1S' } });
  if (over.tripDuration) for (const b of Object.values(ws.backends)) b.circuitBreaker.rules[0]!.tripDuration = over.tripDuration;
  if (over.path) ws.apis['azure-openai'].path = over.path;
  Object.assign(ws.gateway, over.gateway ?? {});
  const gw = await startGateway({ workspace: ws, secrets: testSecrets });
  started.push(gw);
  return { east, uk, gw, ws };
}

const chat = (gw: GatewayHandle, path = '/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21') =>
  fetch(`${gw.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'api-key': 'client' }, body: '{"messages":[]}' });

/** Sends raw bytes and resolves with everything the gateway answered before it closed the connection. */
function raw(gw: GatewayHandle, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(gw.port, '127.0.0.1', () => s.write(text));
    let out = '';
    s.on('data', (d) => (out += d.toString('latin1')));
    s.on('end', () => resolve(out));
    s.on('close', () => resolve(out));
    s.on('error', (e) => (out ? resolve(out) : reject(e)));
  });
}

const errorCode = async (r: Response) => ((await r.json()) as { error: { code: string; message: string } }).error;

describe('item 1: durations are bounded and never make an invalid date', () => {
  it('tripDuration P99999999999D is refused by validate, naming the field and the limit', () => {
    const ws = seedWorkspace({ url: 'https://a.openai.azure.com/openai' }, { url: 'https://b.openai.azure.com/openai' });
    ws.backends['aoai-eastus'].circuitBreaker.rules[0]!.tripDuration = 'P99999999999D';
    const r = validateWorkspace(ws);
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual([expect.objectContaining({ path: 'backends.aoai-eastus.circuitBreaker.rules[0].tripDuration', message: expect.stringContaining('P365D') })]);
  });

  it('the longest allowed tripDuration trips on a connection failure and the gateway keeps serving its status', async () => {
    const { gw, east } = await setup({ tripDuration: 'P365D' });
    east.behave({ kind: 'destroy' });
    const r = await chat(gw);
    expect(r.status).toBe(502);
    await r.text();
    const s = await fetch(`${gw.url}/_breakerboard/status`);
    expect(s.status).toBe(200);
    const body = (await s.json()) as { backends: Record<string, { state: string; openUntil: string }> };
    expect(body.backends['aoai-eastus']!.state).toBe('open');
    expect(Date.parse(body.backends['aoai-eastus']!.openUntil) - Date.now()).toBeGreaterThan(364 * 86_400_000);
  });
});

describe('item 2: a hostile Retry-After is clamped once', () => {
  it('Retry-After 99999999999999999999: the client gets the 429, a trip event, status 200, a sane 503 Retry-After', async () => {
    const { gw, east, uk } = await setup();
    const events: string[] = [];
    gw.subscribe((e) => events.push(e.type));
    east.behave({ kind: 'status', status: 429, retryAfter: '99999999999999999999' });
    uk.behave({ kind: 'status', status: 429, retryAfter: '99999999999999999999' });
    for (let i = 0; i < 2; i++) {
      const r = await chat(gw);
      expect(r.status).toBe(429);
      await r.text();
    }
    expect(events.filter((t) => t === 'trip')).toHaveLength(2);
    const s = await fetch(`${gw.url}/_breakerboard/status`);
    expect(s.status).toBe(200);
    await s.text();
    const closed = await chat(gw);
    expect(closed.status).toBe(503);
    expect(closed.headers.get('retry-after')).toBe(String(365 * 86_400));
    await closed.text();
  });
});

describe('item 3: long open durations never overflow a timer', () => {
  it('a 30-day trip arms timers no longer than 2^31-1 ms', async () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const { gw, east } = await setup({ tripDuration: 'P30D' });
    east.behave({ kind: 'destroy' });
    await (await chat(gw)).text();
    expect(gw.status().backends['aoai-eastus']!.state).toBe('open');
    const delays = spy.mock.calls.map((c) => Number(c[1] ?? 0));
    expect(delays.some((d) => d === 2 ** 31 - 1)).toBe(true);
    expect(delays.every((d) => d <= 2 ** 31 - 1)).toBe(true);
  });
});

describe('item 4: slow clients are cut by the header and body timeouts', () => {
  it('a client that never finishes its headers gets 408 after gateway.timeouts.clientHeaders', async () => {
    const { gw } = await setup({ gateway: { timeouts: { connect: 'PT1S', response: 'PT1S', clientHeaders: 'PT0.3S', clientBody: 'PT0.3S' } } });
    const answer = await raw(gw, 'POST /openai/deployments/x/chat/completions HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('"code":"RequestTimeout"');
  });

  it('a client that stops sending its body is cut after clientHeaders + clientBody', async () => {
    const { gw, east } = await setup({ gateway: { timeouts: { connect: 'PT1S', response: 'PT1S', clientHeaders: 'PT0.2S', clientBody: 'PT0.3S' } } });
    const answer = await raw(gw, 'POST /openai/deployments/x/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"messages":');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(east.received).toHaveLength(0);
  });
});

describe('item 4: the client timeouts only time the request', () => {
  const fast = { timeouts: { connect: 'PT1S', response: 'PT2S', clientHeaders: 'PT0.2S', clientBody: 'PT0.2S' } };
  it('an answer slower than clientHeaders + clientBody is not cut', async () => {
    const { gw, east } = await setup({ gateway: fast });
    east.behave({ kind: 'slow-headers', ms: 800 });
    const r = await chat(gw);
    expect(r.status).toBe(200);
    await r.text();
  });

  it('a kept-alive connection idle for longer than clientHeaders still takes the next request', async () => {
    const { gw } = await setup({ gateway: fast });
    const req = (close: boolean) => `POST /openai/deployments/x/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n${close ? 'Connection: close\r\n' : ''}\r\n{}`;
    const a = connect(gw.port, '127.0.0.1');
    let out = '';
    const firstAnswer = new Promise<void>((resolve) => a.on('data', (d) => ((out += String(d)), out.includes('hello from') && resolve())));
    const closed = new Promise<void>((resolve) => a.on('close', () => resolve()));
    a.on('connect', () => a.write(req(false)));
    await firstAnswer;
    // Wait for the event that proves the header timeout has run: a later connection with unfinished headers is
    // cut with 408. Connection `a` has been idle longer than that one lived.
    expect(await raw(gw, 'POST /openai/x HTTP/1.1\r\nHost: x\r\n')).toMatch(/^HTTP\/1\.1 408 /);
    expect(a.destroyed).toBe(false);
    a.write(req(true));
    await closed;
    expect(out.match(/HTTP\/1\.1 200 /g)).toHaveLength(2);
  });
});

describe('item 5: the backend may not speak for the gateway', () => {
  it("a backend's own x-breakerboard-* headers are stripped; the gateway's remain", async () => {
    const { gw, east } = await setup();
    east.behave({ kind: 'status', status: 200, body: '{}', headers: { 'x-breakerboard-backend': 'forged', 'x-breakerboard-attempts': '99', 'x-breakerboard-custom': '1' } });
    const r = await chat(gw);
    expect(r.headers.get('x-breakerboard-backend')).toBe('aoai-eastus');
    expect(r.headers.get('x-breakerboard-attempts')).toBe('1');
    expect(r.headers.get('x-breakerboard-custom')).toBeNull();
    await r.text();
  });
});

describe('item 6: dot segments never leave the API base path', () => {
  const escapes = [
    '/openai/../../etc/passwd',
    '/openai/%2e%2e/%2E%2E/etc/passwd',
    '/openai/deployments/..%2f..%2f..%2fetc/passwd',
    '/openai/.%2e/admin',
    '/openai/deployments/x%5c..%5c..%5cetc',
  ];
  it.each(escapes)('%s → 400, the backend is never called', async (path) => {
    const { gw, east, uk } = await setup();
    const r = await raw(gw, `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`);
    expect(r).toMatch(/^HTTP\/1\.1 400 /);
    expect(r).toContain('"code":"BadRequest"');
    expect(east.received.length + uk.received.length).toBe(0);
  });

  it('dot segments that stay inside the base path are normalised before forwarding', async () => {
    const { gw, east } = await setup();
    const r = await raw(gw, 'POST /openai/deployments/./gpt-4o/x/../chat/completions?q=a/../b HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}');
    expect(r).toMatch(/^HTTP\/1\.1 200 /);
    expect(east.received[0]!.url).toBe('/openai/deployments/gpt-4o/chat/completions?q=a/../b');
  });
});

describe('item 7: malformed requests get a 400 with the JSON error', () => {
  const bad: [string, string][] = [
    ['bad Content-Length', 'POST /openai/x HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'],
    ['Content-Length with Transfer-Encoding', 'POST /openai/x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['bad chunk size', 'POST /openai/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n'],
    ['bare LF inside a header', 'GET /openai/x HTTP/1.1\r\nHost: x\r\nX-A: 1\nX-B: 2\r\n\r\n'],
    ['bare CR inside a header', 'GET /openai/x HTTP/1.1\r\nHost: x\r\nX-A: 1\rX-B: 2\r\n\r\n'],
    ['obs-fold', 'GET /openai/x HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  folded\r\n\r\n'],
  ];
  it.each(bad)('%s', async (_name, text) => {
    const { gw, east, uk } = await setup();
    const r = await raw(gw, text);
    expect(r).toMatch(/^HTTP\/1\.1 400 /);
    expect(r).toContain('"code":"BadRequest"');
    expect(r.toLowerCase()).toContain('content-type: application/json');
    expect(east.received.length + uk.received.length).toBe(0);
    const s = await fetch(`${gw.url}/_breakerboard/status`);
    expect(s.status).toBe(200);
    expect(((await s.json()) as { gatewayErrors: Record<string, number> }).gatewayErrors).toEqual({ BadRequest: 1 });
  });

  it('a malformed second request on a kept-alive connection gets its 400 too', async () => {
    const { gw } = await setup();
    const answer = await new Promise<string>((resolve) => {
      let out = '';
      const s = connect(gw.port, '127.0.0.1', () => s.write('GET /_breakerboard/status HTTP/1.1\r\nHost: x\r\n\r\n'));
      s.on('data', (d) => {
        const first = out === '';
        out += String(d);
        // After the first answer has arrived, on the same connection:
        if (first) s.write('POST /openai/x HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n');
      });
      s.on('close', () => resolve(out));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toMatch(/HTTP\/1\.1 400 Bad Request\r\n[\s\S]*"code":"BadRequest"/);
  });

  it('admin reset with bad %-encoding answers 400, not 500', async () => {
    const { gw } = await setup();
    const r = await fetch(`${gw.url}/_breakerboard/backends/%E0%A4%A/reset`, { method: 'POST' });
    expect(r.status).toBe(400);
    expect((await errorCode(r)).code).toBe('BadRequest');
  });
});

describe('item 4 (a plus): concurrent connections per client address are capped', () => {
  it('admits up to the cap per remote address, frees on close, never caps loopback', async () => {
    const { connectionCap } = await import('../main/gateway/http-util');
    const cap = connectionCap(2);
    expect([cap.admit('10.0.0.7'), cap.admit('10.0.0.7'), cap.admit('10.0.0.7')]).toEqual([true, true, false]);
    expect(cap.admit('10.0.0.8')).toBe(true);
    cap.release('10.0.0.7');
    expect(cap.admit('10.0.0.7')).toBe(true);
    for (let i = 0; i < 10; i++) expect(cap.admit(i % 2 ? '127.0.0.1' : '::1')).toBe(true);
  });
});
