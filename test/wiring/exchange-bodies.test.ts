import { request, type IncomingHttpHeaders } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { accessLogTap } from './access-log-tap';
import { closeRigs, rule, startRig } from './gateway-rig';
import { startRawUpstream, type RawUpstream } from './raw-upstream';

/*
 * Bodies through the real gateway (issue 19 item 7, the exchange's survivors): a request body read into memory
 * (retrying API, chunked upload) and its 413, answer bodies held back in 8 KB pieces or cut, a slow reader, and what
 * the access log and the backend meter say about how long a try took.
 */
const raws: RawUpstream[] = [];
afterEach(async () => {
  await closeRigs();
  for (const u of raws.splice(0)) await u.close();
});

const CHAT = '/openai/deployments/gpt-4o/chat/completions';
type Got = { status: number; headers: IncomingHttpHeaders; body: string; complete: boolean };

/** Rejects after `ms`: the bound of a wait for an event (never a sleep the test relies on). */
function bounded<T>(p: Promise<T>, ms = 4000): Promise<T> {
  let timer!: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

/**
 * A POST with node's client. `parts` are written one by one (no Content-Length: chunked) unless `length` is given;
 * `beforeBody` runs once the gateway sent 100 Continue.
 */
function post(url: string, parts: string[], opts: { length?: boolean; beforeBody?: () => Promise<void>; onData?: (soFar: string) => void } = {}): Promise<Got> {
  return bounded(
    new Promise((resolve, reject) => {
      const body = parts.join('');
      const headers: Record<string, string | number> = { 'content-type': 'application/json' };
      if (opts.length) headers['content-length'] = Buffer.byteLength(body);
      if (opts.beforeBody) headers.expect = '100-continue';
      const req = request(url, { method: 'POST', headers }, (res) => {
        let got = '';
        res.setEncoding('latin1');
        res.on('data', (c: string) => {
          got += c;
          opts.onData?.(got);
        });
        res.on('error', () => undefined);
        res.on('close', () => resolve({ status: res.statusCode!, headers: res.headers, body: got, complete: res.complete }));
      });
      req.on('error', reject);
      const send = () => {
        for (const p of parts) req.write(p);
        req.end();
      };
      if (!opts.beforeBody) return send();
      req.on('continue', () => void opts.beforeBody!().then(send, reject));
    }),
  );
}

/** A chunked HTTP/1.1 answer: the status line, then each part as one chunk, then the last chunk unless `cut`. */
const chunked = (parts: string[], cut = false) =>
  `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n${parts.map((p) => `${Buffer.byteLength(p).toString(16)}\r\n${p}\r\n`).join('')}${cut ? '' : '0\r\n\r\n'}`;

describe('the request body the gateway reads into memory', () => {
  it('a chunked upload of exactly gateway.maxRequestBytes passes whole; one byte more is 413 RequestTooLarge, the connection closed, nothing called', async () => {
    const log = accessLogTap();
    const r = await startRig(['a'], (u) => ({ backends: { a: { url: u.a } }, apis: { 'azure-openai': { path: 'openai', backend: 'a' } }, gateway: { maxRequestBytes: 1024 } }), { accessLog: log.write });
    const exact = '{"p":"' + 'x'.repeat(1024 - 8) + '"}';
    expect((await post(r.gw.url + CHAT, [exact.slice(0, 500), exact.slice(500)])).status).toBe(200);
    expect(r.backends.a!.received.map((q) => q.body)).toEqual([exact]);
    const over = await post(r.gw.url + CHAT, [exact + ' ']);
    expect([over.status, over.headers.connection, JSON.parse(over.body)]).toEqual([413, 'close', { error: { code: 'RequestTooLarge', message: 'request body over 1024 bytes' } }]);
    // The rest of that body arriving after the 413 starts no try: the next request is the backend's second.
    expect((await post(r.gw.url + CHAT, ['{}'])).status).toBe(200);
    expect([r.calls().a, r.gw.status().gatewayErrors]).toEqual([2, { RequestTooLarge: 1 }]);
    expect((await log.logged(3)).map((e) => [e.status, e.code ?? null, e.attempts])).toEqual([
      [200, null, 1],
      [413, 'RequestTooLarge', 0],
      [200, null, 1],
    ]);
  });

  it('a large body kept for a retry reaches the backend byte for byte (it arrives in many pieces)', async () => {
    const r = await startRig(['a'], (u) => ({ backends: { a: { url: u.a } }, apis: { 'azure-openai': { path: 'openai', backend: 'a', retry: { count: 1, on: [500] } } } }));
    const big = '{"messages":[],"pad":"' + Array.from({ length: 30_000 }, (_, i) => String(i % 10).repeat(10)).join('') + '"}';
    expect((await post(r.gw.url + CHAT, [big], { length: true })).status).toBe(200);
    const got = r.backends.a!.received[0]!.body;
    expect([got.length, got === big]).toEqual([big.length, true]);
  });

  it('a retrying API whose backend opened while the body was read: 503 NoHealthyBackend before any try', async () => {
    const r = await startRig(['a'], (u) => ({
      backends: { a: { url: u.a, circuitBreaker: rule() } },
      apis: { 'azure-openai': { path: 'openai', backend: 'a', retry: { count: 1, on: [500] } }, direct: { path: 'direct', backend: 'a' } },
    }));
    r.backends.a!.behave({ kind: 'status', status: 429 });
    const got = await post(r.gw.url + CHAT, ['{}'], { length: true, beforeBody: async () => void (await r.chat({ path: 'direct' })) });
    expect([got.status, got.headers['x-breakerboard-attempts'], got.headers['x-breakerboard-backend'], JSON.parse(got.body).error.code]).toEqual([503, '0', undefined, 'NoHealthyBackend']);
    expect(r.calls().a).toBe(1);
  });
});

describe('session affinity', () => {
  it("a cookie naming the pool's first member, whose breaker is open: the pool's pick serves and the cookie moves", async () => {
    const r = await startRig(['a', 'b'], (u) => ({
      backends: { a: { url: u.a, circuitBreaker: rule() }, b: { url: u.b } },
      pools: { p: { services: [{ backend: 'a' }, { backend: 'b' }], sessionAffinity: { sessionId: { source: 'cookie', name: 's' } } } },
      apis: { 'azure-openai': { path: 'openai', backend: 'p' }, direct: { path: 'direct', backend: 'a' } },
    }));
    r.backends.a!.behave({ kind: 'status', status: 429 });
    await r.chat({ path: 'direct' });
    expect(r.state('a')).toBe('open');
    const got = await r.chat({ headers: { cookie: 's=a' } });
    expect([got.status, got.backend, got.headers.get('set-cookie')?.startsWith('s=b')]).toEqual([200, 'b', true]);
    expect(r.calls()).toEqual({ a: 1, b: 1 });
  });
});

describe('the answer body as the client gets it', () => {
  it('an answer in many small pieces over 8 KB (held back, then sent) arrives whole', async () => {
    const parts = Array.from({ length: 12 }, (_, i) => String.fromCharCode(97 + i).repeat(1000));
    const up = await startRawUpstream(() => ({ bytes: chunked(parts), then: 'keep' }));
    raws.push(up);
    const r = await startRig([], () => ({ backends: { a: { url: up.url } }, apis: { 'azure-openai': { path: 'openai', backend: 'a' } } }));
    expect(await post(r.gw.url + CHAT, ['{}'])).toMatchObject({ status: 200, body: parts.join(''), complete: true });
  });

  it('exactly 8 KB held back goes out at once, before the answer ends', async () => {
    const parts = Array.from({ length: 8 }, (_, i) => String.fromCharCode(97 + i).repeat(1024));
    const up = await startRawUpstream(() => ({ bytes: chunked(parts, true), then: 'hang' }));
    raws.push(up);
    const r = await startRig([], () => ({ backends: { a: { url: up.url } }, apis: { 'azure-openai': { path: 'openai', backend: 'a' } } }));
    let reached!: () => void;
    const eightKb = new Promise<void>((resolve) => (reached = resolve));
    const answer = post(r.gw.url + CHAT, ['{}'], { onData: (soFar) => soFar.length === 8192 && reached() });
    await bounded(eightKb);
    // The upstream never ends this answer: closing it now cuts the client after the 8 KB it already has.
    await up.close();
    raws.length = 0;
    expect(await answer).toMatchObject({ status: 200, body: parts.join(''), complete: false });
  });

  it('an answer cut after several held pieces: the client gets every piece, then the cut', async () => {
    const parts = ['one-', 'two-', 'three'];
    const up = await startRawUpstream(() => ({ bytes: chunked(parts, true), then: 'end' }));
    raws.push(up);
    const r = await startRig([], () => ({ backends: { a: { url: up.url } }, apis: { 'azure-openai': { path: 'openai', backend: 'a' } } }));
    expect(await post(r.gw.url + CHAT, ['{}'])).toMatchObject({ status: 200, body: 'one-two-three', complete: false });
  });

  it('a large answer to a client that reads it all: the gateway waits for the client and the answer completes', async () => {
    const size = 4 * 1024 * 1024;
    const up = await startRawUpstream(() => ({ bytes: `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${size}\r\n\r\n${'z'.repeat(size)}`, then: 'keep' }));
    raws.push(up);
    const r = await startRig([], () => ({ backends: { a: { url: up.url } }, apis: { 'azure-openai': { path: 'openai', backend: 'a', stream: true } } }));
    const got = await post(r.gw.url + CHAT, ['{}']);
    expect([got.status, got.body.length, got.complete]).toEqual([200, size, true]);
  });

  it('token usage at the end of a streamed (SSE) answer over 1 MiB is counted (a JSON answer that long would not be read)', async () => {
    const event = `data: ${JSON.stringify({ choices: [{ delta: { content: 'x'.repeat(1000) } }] })}\n\n`;
    const body = event.repeat(1100) + `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 } })}\n\ndata: [DONE]\n\n`;
    const up = await startRawUpstream(() => ({ bytes: `HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: ${body.length}\r\n\r\n${body}`, then: 'keep' }));
    raws.push(up);
    const r = await startRig([], () => ({ backends: { a: { url: up.url } }, apis: { 'azure-openai': { path: 'openai', backend: 'a', stream: true } } }));
    const got = await post(r.gw.url + CHAT, ['{"stream":true}']);
    expect([got.status, got.body.length, got.complete]).toEqual([200, body.length, true]);
    expect(r.gw.status().backends.a!.tokens).toEqual({ prompt: 11, completion: 7 });
  });
});

describe('how long a try took', () => {
  it("the access log's ms of a timed-out try lies between the response timeout and the time the client waited", async () => {
    const up = await startRawUpstream(() => ({ then: 'hang' }));
    raws.push(up);
    const log = accessLogTap();
    const r = await startRig([], () => ({ backends: { a: { url: up.url } }, apis: { 'azure-openai': { path: 'openai', backend: 'a' } }, gateway: { timeouts: { response: 'PT0.3S' } } }), {
      accessLog: log.write,
    });
    const t = performance.now();
    expect((await r.chat()).status).toBe(504);
    const waited = performance.now() - t;
    const [entry] = await log.logged(1);
    expect([entry!.code, entry!.ms >= 250, entry!.ms <= waited]).toEqual(['BackendTimeout', true, true]);
  });

  it("the meter's latency of an answered try is at most the time the client waited", async () => {
    const r = await startRig(['a'], (u) => ({ backends: { a: { url: u.a } }, apis: { 'azure-openai': { path: 'openai', backend: 'a' } } }));
    const t = performance.now();
    expect((await r.chat()).status).toBe(200);
    const waited = performance.now() - t;
    const metrics = await (await fetch(`${r.gw.url}/metrics`)).text();
    const seconds = Number(/breakerboard_request_duration_seconds_sum\{backend="a"\} (\S+)/.exec(metrics)?.[1]);
    expect([seconds > 0, seconds * 1000 <= waited]).toEqual([true, true]);
  });
});

describe('a status line node cannot repeat', () => {
  it('a reason phrase with a control character: the client gets a cut, logged BodyError, counted body-error', async () => {
    const up = await startRawUpstream(() => ({ bytes: 'HTTP/1.1 200 O\x01K\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi', then: 'keep' }));
    raws.push(up);
    const log = accessLogTap();
    const r = await startRig([], () => ({ backends: { a: { url: up.url } }, apis: { 'azure-openai': { path: 'openai', backend: 'a' } } }), { accessLog: log.write });
    const got = await post(r.gw.url + CHAT, ['{}']).catch((e: Error) => e.message);
    expect(got).toBe('socket hang up');
    expect((await log.logged(1)).map((e) => [e.status, e.code, e.backend])).toEqual([[200, 'BodyError', 'a']]);
    expect(r.gw.status().backends.a).toMatchObject({ requests: 1, failuresByReason: { 'body-error': 1 }, inFlight: 0 });
  });
});
