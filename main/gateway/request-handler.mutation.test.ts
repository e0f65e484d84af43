import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { validateWorkspace, type Workspace } from '../../shared/model';
import { FakeClock } from '../../test/support/fake-clock';
import { startTestBackend, testSecrets, type TestBackend } from '../../test/support/test-backend';
import { GatewayEngine } from './engine';
import { startGateway, type GatewayHandle } from './index';
import { createRequestHandler } from './request-handler';

/*
 * The gateway's request listener (request-handler.ts) on 127.0.0.1, in process: the answers it gives itself before
 * any backend is called (401, 404, 400, 413, the early 503) compared whole — status, JSON body, the headers that
 * matter, the access-log line, the gateway-error count — and where it buffers or streams a body.
 */

const CHAT = '/deployments/gpt-4o/chat/completions?api-version=2024-10-21';
const RULE = { rules: [{ name: 'r', failureCondition: { count: 1, interval: 'PT1M', statusCodeRanges: [{ min: 429, max: 429 }] }, tripDuration: 'PT1M', acceptRetryAfter: false }] };

function workspace(url: { a: string; b: string }, apis = true): Workspace {
  const r = validateWorkspace({
    version: 1,
    backends: { a: { url: url.a, circuitBreaker: RULE }, b: { url: url.b } },
    pools: { pool: { services: [{ backend: 'a' }, { backend: 'b' }] } },
    ...(apis
      ? {
          apis: {
            chat: { path: 'openai', backend: 'pool', retry: { count: 1, on: [429] } },
            plain: { path: 'plain', backend: 'a' },
            // Starts with "m", as /metrics does: must still be proxied.
            mistral: { path: 'mistral', backend: 'b' },
          },
        }
      : {}),
    gateway: { maxRequestBytes: 1024, retryBufferBytes: 100 },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.workspace;
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

interface Rig {
  gw: GatewayHandle;
  a: TestBackend;
  b: TestBackend;
  log: object[];
  url: { a: string; b: string };
}

async function rig(gatewayKey?: string): Promise<Rig> {
  const a = await startTestBackend('a');
  closers.push(() => a.close());
  const b = await startTestBackend('b');
  closers.push(() => b.close());
  const url = { a: a.url, b: b.url };
  const log: object[] = [];
  const clock = new FakeClock();
  const gw = await startGateway({ workspace: workspace(url), secrets: testSecrets, now: clock.now, gatewayKey, accessLog: (line) => log.push(JSON.parse(line) as object) });
  closers.push(() => gw.close());
  return { gw, a, b, log, url };
}

/**
 * One request on its own keep-alive connection (so a `Connection: close` in the answer is the gateway's, not an
 * echo of the client's); `chunked` sends the body without a Content-Length.
 */
function send(port: number, path: string, init: { method?: string; headers?: Record<string, string>; body?: string; chunked?: boolean } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const body = init.body;
    const headers: Record<string, string> = { ...init.headers };
    if (body !== undefined && !init.chunked) headers['content-length'] = String(Buffer.byteLength(body));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const req = request({ host: '127.0.0.1', port, path, method: init.method ?? 'POST', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        agent.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    // The gateway may answer (and close) before it has read a body it refuses.
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)));
    // Written before end(): node would otherwise count the body and send a Content-Length.
    if (init.chunked) req.write(body);
    req.end(init.chunked ? undefined : body);
  });
}

const error = (code: string, message: string) => JSON.stringify({ error: { code, message } });
const refusal = (path: string, status: number, code: string, api = '') => ({ at: '2026-11-25T10:00:00.000Z', method: 'POST', path, api, status, backend: null, attempts: 0, ms: 0, code });

describe('request handler: answers the gateway gives itself', () => {
  it('401 without the gateway key: JSON error, access-log line, counted; with the key the request is served', async () => {
    const r = await rig('the-gateway-key');
    const refused = await send(r.gw.port, `/openai${CHAT}`, { body: '{}' });
    expect(refused.status).toBe(401);
    expect(refused.headers['content-type']).toBe('application/json');
    expect(refused.body).toBe(error('Unauthorized', 'this gateway listens beyond loopback: send the gateway key (BREAKERBOARD_GATEWAY_KEY) as api-key or a bearer token'));
    expect(r.log).toEqual([refusal(`/openai${CHAT}`, 401, 'Unauthorized')]);
    expect(r.gw.status().gatewayErrors).toEqual({ Unauthorized: 1 });
    expect(r.a.received.length + r.b.received.length).toBe(0);

    const served = await send(r.gw.port, `/openai${CHAT}`, { body: '{}', headers: { 'api-key': 'the-gateway-key' } });
    expect(served.status).toBe(200);
    expect(r.gw.status().gatewayErrors).toEqual({ Unauthorized: 1 });
  });

  it('404 for a path no API serves names the path without its query and every configured API path', async () => {
    const r = await rig();
    const res = await send(r.gw.port, '/nowhere/deployments/x?api-version=1', { body: '{}' });
    expect(res.status).toBe(404);
    expect(res.headers.connection).toBe('keep-alive');
    expect(res.body).toBe(error('NotFound', 'no API serves /nowhere/deployments/x; configured paths: /mistral, /openai, /plain'));
    expect(r.log).toEqual([refusal('/nowhere/deployments/x?api-version=1', 404, 'NotFound')]);
    expect(r.gw.status().gatewayErrors).toEqual({ NotFound: 1 });

    // With no API at all the list says so.
    r.gw.reload(workspace(r.url, false));
    const none = await send(r.gw.port, `/openai${CHAT}`, { body: '{}' });
    expect(none.status).toBe(404);
    expect(none.body).toBe(error('NotFound', 'no API serves /openai/deployments/gpt-4o/chat/completions; configured paths: (none)'));
  });

  it('an API path starting with "m" (like /metrics) or "_" is proxied, not taken for an admin endpoint', async () => {
    const r = await rig();
    const res = await send(r.gw.port, `/mistral${CHAT}`, { body: '{}' });
    expect(res.status).toBe(200);
    expect(res.headers['x-breakerboard-backend']).toBe('b');
    expect(r.b.received.map((x) => x.url)).toEqual([`/openai${CHAT}`]);
  });

  it('400 with Connection: close for a path that leaves the API base path; the API is logged', async () => {
    const r = await rig();
    const res = await send(r.gw.port, '/openai/../secrets?x=1', { body: '{}' });
    expect(res.status).toBe(400);
    expect(res.headers.connection).toBe('close');
    expect(res.body).toBe(error('BadRequest', "the request path leaves the API's base path /openai (dot segments or an encoded slash or backslash)"));
    expect(r.log).toEqual([refusal('/openai/../secrets?x=1', 400, 'BadRequest', 'chat')]);
    expect(r.gw.status().gatewayErrors).toEqual({ BadRequest: 1 });
    expect(r.a.received.length + r.b.received.length).toBe(0);
  });

  it('413 with Connection: close for a declared body over maxRequestBytes; a body of exactly the limit is served', async () => {
    const r = await rig();
    const over = await send(r.gw.port, `/plain${CHAT}`, { body: 'x'.repeat(1025) });
    expect(over.status).toBe(413);
    expect(over.headers.connection).toBe('close');
    expect(over.body).toBe(error('RequestTooLarge', 'request body of 1025 bytes is over the limit of 1024 (gateway.maxRequestBytes)'));
    expect(r.log).toEqual([refusal(`/plain${CHAT}`, 413, 'RequestTooLarge', 'plain')]);
    expect(r.gw.status().gatewayErrors).toEqual({ RequestTooLarge: 1 });
    expect(r.a.received).toHaveLength(0);

    const exact = await send(r.gw.port, `/plain${CHAT}`, { body: 'y'.repeat(1024) });
    expect(exact.status).toBe(200);
    expect(r.a.received.map((x) => x.body)).toEqual(['y'.repeat(1024)]);
  });

  it('every member open: 503 before the body is read, so an unknown-length body over the limit is never a 413', async () => {
    const r = await rig();
    r.a.behave({ kind: 'status', status: 429 });
    expect((await send(r.gw.port, `/plain${CHAT}`, { body: '{}' })).status).toBe(429);
    expect(r.gw.status().backends.a!.state).toBe('open');

    const res = await send(r.gw.port, `/plain${CHAT}`, { body: 'z'.repeat(4000), chunked: true });
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'NoHealthyBackend' } });
    expect(r.a.received).toHaveLength(1);
  });
});

describe('request handler: buffered or streamed body', () => {
  it('a body of exactly retryBufferBytes is kept, so the retry can replay it', async () => {
    const r = await rig();
    r.a.behave({ kind: 'status', status: 429 });
    const body = JSON.stringify({ messages: [], pad: 'p'.repeat(100 - 24) });
    expect(Buffer.byteLength(body)).toBe(100);
    const res = await send(r.gw.port, `/openai${CHAT}`, { body });
    expect(res.status).toBe(200);
    expect(res.headers['x-breakerboard-attempts']).toBe('2');
    expect(r.a.received.map((x) => x.body)).toEqual([body]);
    expect(r.b.received.map((x) => x.body)).toEqual([body]);
  });

  it('a body one byte over retryBufferBytes streams through: no retry, the 429 is the answer', async () => {
    const r = await rig();
    r.a.behave({ kind: 'status', status: 429 });
    const body = 'q'.repeat(101);
    const res = await send(r.gw.port, `/openai${CHAT}`, { body });
    expect(res.status).toBe(429);
    expect(res.headers['x-breakerboard-attempts']).toBe('1');
    expect(r.b.received).toHaveLength(0);
  });
});

describe('request handler: streamed body and admin errors (its own server)', () => {
  /**
   * A server running createRequestHandler; `before` may change the request first. With `settled`, an answer the
   * handler has not started one macrotask later is replaced by a 599: the admin chain settles in microtasks, so
   * what is unanswered then never will be.
   */
  async function handlerServer(engine: GatewayEngine, registry: Registry, opts: { before?: (req: IncomingMessage) => void; settled?: boolean } = {}): Promise<number> {
    const handler = createRequestHandler(engine, registry, undefined, undefined);
    const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
      opts.before?.(req);
      handler(req, res);
      if (opts.settled) {
        setImmediate(() => {
          if (!res.headersSent) res.writeHead(599).end('nothing was answered');
        });
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise<void>((r) => server.close(() => r())));
    return (server.address() as AddressInfo).port;
  }

  function engineFor(url: { a: string; b: string }, log: object[] = []): GatewayEngine {
    const clock = new FakeClock();
    const engine = new GatewayEngine(workspace(url), { now: clock.now, secrets: testSecrets, timers: { setTimeout: () => 0, clearTimeout: () => undefined } });
    engine.accessLog = (e) => log.push(e);
    closers.push(() => engine.close(true));
    return engine;
  }

  it('an admin endpoint that throws answers 500 InternalError with the error message', async () => {
    const registry = { contentType: 'text/plain', metrics: () => Promise.reject(new Error('the registry broke')) } as unknown as Registry;
    const port = await handlerServer(engineFor({ a: 'http://127.0.0.1:9/openai', b: 'http://127.0.0.1:9/openai' }), registry, { settled: true });
    const res = await send(port, '/metrics', { method: 'GET' });
    expect(res.status).toBe(500);
    expect(res.body).toBe(error('InternalError', 'the registry broke'));
  });

  it('a request object without url or method (as IncomingMessage allows) is taken as "/" with method ""', async () => {
    const log: object[] = [];
    const engine = engineFor({ a: 'http://127.0.0.1:9/openai', b: 'http://127.0.0.1:9/openai' }, log);
    const port = await handlerServer(engine, {} as Registry, {
      before: (req) => {
        req.url = undefined;
        req.method = undefined;
      },
    });
    const res = await send(port, `/openai${CHAT}`, { body: '{}' });
    expect(res.status).toBe(404);
    expect(res.body).toBe(error('NotFound', 'no API serves /; configured paths: /mistral, /openai, /plain'));
    expect(log).toEqual([{ ...refusal('', 404, 'NotFound'), method: '' }]);
  });

  it('without retry the body streams: the backend answers before the client has sent all of it', async () => {
    let heads = 0;
    const backend = createServer((req, res) => {
      heads++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"early":true}');
      req.resume();
    });
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise<void>((r) => backend.close(() => r())));
    const base = `http://127.0.0.1:${(backend.address() as AddressInfo).port}/openai`;
    const port = await handlerServer(engineFor({ a: base, b: base }), {} as Registry);

    const req = request({ host: '127.0.0.1', port, path: `/plain${CHAT}`, method: 'POST', headers: { 'content-length': '50' }, agent: false });
    req.on('error', () => undefined);
    req.write('{"messages":');
    // Bounded: a gateway that waited for the whole body would never answer, and the test fails here.
    const answered = await new Promise<{ status: number; body: string } | 'no answer'>((resolve) => {
      const bound = setTimeout(() => resolve('no answer'), 5_000);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(bound);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
      });
    });
    req.destroy();
    expect(answered).toEqual({ status: 200, body: '{"early":true}' });
    expect(heads).toBe(1);
  });
});
