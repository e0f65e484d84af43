import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/*
 * A small Azure-OpenAI-compatible backend on 127.0.0.1 for gateway tests: chat completions (JSON, or SSE with
 * include_usage), embeddings, and switchable misbehaviour. It records what it received so tests can check paths,
 * headers and bodies. Not the product's simulator: this one is exact and dumb on purpose.
 */
export type Behaviour =
  | { kind: 'ok' }
  | { kind: 'status'; status: number; retryAfter?: string; body?: string; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'slow-headers'; ms: number }
  | { kind: 'reset-mid-body' }
  | { kind: 'malformed-json' }
  | { kind: 'destroy' }
  /** Streams a chunk every 20 ms until the client goes away (client-abort tests). */
  | { kind: 'endless-stream' };

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface TestBackend {
  id: string;
  url: string;
  port: number;
  received: Received[];
  behave(b: Behaviour): void;
  /** Endless streams whose client went away (the gateway cancelled upstream). */
  streamsCancelled: number;
  /** Open sockets right now (leak checks). */
  openSockets(): number;
  close(): Promise<void>;
}

// The SDK asks for base64 (float32 little-endian) by default and decodes it itself.
const vector = (format: string | undefined) => (format === 'base64' ? Buffer.from(new Float32Array([0.5, 0.25, 0.125]).buffer).toString('base64') : [0.5, 0.25, 0.125]);

const usage = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };

function chat(id: string, stream: boolean, includeUsage: boolean, res: ServerResponse): void {
  if (!stream) {
    const body = JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-4o', choices: [{ index: 0, message: { role: 'assistant', content: `hello from ${id}` }, finish_reason: 'stop' }], usage });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const words = ['hello', ' from', ` ${id}`];
  const chunk = (delta: object, finish: string | null, extra: object = {}) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
  let i = 0;
  const next = () => {
    if (res.destroyed) return;
    if (i < words.length) {
      res.write(chunk({ content: words[i++] }, null));
      setTimeout(next, 5);
      return;
    }
    res.write(chunk({}, 'stop'));
    if (includeUsage) res.write(`data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [], usage })}\n\n`);
    res.end('data: [DONE]\n\n');
  };
  next();
}

export async function startTestBackend(id: string, initial: Behaviour = { kind: 'ok' }): Promise<TestBackend> {
  let behaviour: Behaviour = initial;
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const b = behaviour;
      switch (b.kind) {
        case 'status':
          res.writeHead(b.status, { 'content-type': 'application/json', ...(b.retryAfter !== undefined ? { 'retry-after': b.retryAfter } : {}), ...b.headers });
          res.end(b.body ?? JSON.stringify({ error: { code: String(b.status), message: `${id} says ${b.status}` } }));
          return;
        case 'hang':
          return; // never answers
        case 'destroy':
          req.socket.destroy();
          return;
        case 'reset-mid-body':
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write('data: {"choices":[{"delta":{"content":"par"}}]}\n\n');
          setTimeout(() => req.socket.destroy(), 20);
          return;
        case 'endless-stream': {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          const timer = setInterval(() => res.write('data: {"choices":[{"delta":{"content":"x"}}]}\n\n'), 20);
          res.on('close', () => {
            clearInterval(timer);
            handle.streamsCancelled++;
          });
          return;
        }
        case 'malformed-json':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"id":"chatcmpl-1","choices":[{"message":{"content":"cut');
          return;
        case 'slow-headers':
          setTimeout(() => !res.destroyed && answer(req.url ?? '', body, res), b.ms);
          return;
        default:
          answer(req.url ?? '', body, res);
      }
    });
  });
  const answer = (url: string, body: string, res: ServerResponse) => {
    let parsed: { stream?: boolean; stream_options?: { include_usage?: boolean }; input?: unknown; encoding_format?: string } = {};
    try {
      parsed = JSON.parse(body || '{}');
    } catch {
      /* answer anyway */
    }
    if (url.includes('/embeddings')) {
      const inputs = Array.isArray(parsed.input) ? parsed.input : [parsed.input];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: inputs.map((_, index) => ({ object: 'embedding', index, embedding: vector(parsed.encoding_format) })), model: 'text-embedding-3-small', usage: { prompt_tokens: 5, total_tokens: 5 } }));
      return;
    }
    chat(id, parsed.stream === true, parsed.stream_options?.include_usage === true, res);
  };
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const handle: TestBackend = {
    id,
    streamsCancelled: 0,
    url: `http://127.0.0.1:${port}/openai`,
    port,
    received,
    behave: (b) => (behaviour = b),
    openSockets: () => sockets.size,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  return handle;
}

/** A port on 127.0.0.1 where nothing listens (connection refused). */
export async function refusedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A workspace in the seed's shape (one pool, weights 10:1, count-1 breakers on 429 + 5xx) over test backends. */
export function seedWorkspace(
  east: { url: string },
  uk: { url: string },
  over: { retry?: { count: number; on: number[] }; timeouts?: { connect?: string; response?: string }; maxRequestBytes?: number; retryBufferBytes?: number } = {},
) {
  const rule = (name: string) => ({
    rules: [{ name, failureCondition: { count: 1, interval: 'PT1M', statusCodeRanges: [{ min: 429, max: 429 }, { min: 500, max: 599 }], errorReasons: ['Server errors'] }, tripDuration: 'PT1M', acceptRetryAfter: true }],
  });
  return {
    version: 1 as const,
    backends: {
      'aoai-eastus': { url: east.url, auth: { type: 'api-key' as const, secret: 'aoai-eastus-key' }, circuitBreaker: rule('east') },
      'aoai-uksouth': { url: uk.url, auth: { type: 'api-key' as const, secret: 'aoai-uksouth-key' }, circuitBreaker: rule('uk') },
    },
    pools: { mybackendpool: { services: [{ backend: 'aoai-eastus', priority: 1, weight: 10 }, { backend: 'aoai-uksouth', priority: 1, weight: 1 }] } },
    apis: {
      'azure-openai': { path: 'openai', backend: 'mybackendpool', retry: over.retry ?? { count: 1, on: [429, 503] } },
      'openai-v1': { path: 'v1', backend: 'mybackendpool', retry: over.retry ?? { count: 1, on: [429, 503] } },
    },
    gateway: {
      timeouts: { connect: over.timeouts?.connect ?? 'PT2S', response: over.timeouts?.response ?? 'PT2S' },
      ...(over.maxRequestBytes ? { maxRequestBytes: over.maxRequestBytes } : {}),
      ...(over.retryBufferBytes !== undefined ? { retryBufferBytes: over.retryBufferBytes } : {}),
    },
  };
}

export const testSecrets = { get: (name: string) => `secret-of-${name}` };
