import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Api, Envelope, ErrorCode } from '../../shared/contract';
import { dispatch, subscribeAll } from '../../shared/contract/dispatch';
import { NESTED_TOO_DEEP, nestedDeeperThan } from '../../shared/model/parse-text';
import { checkRequest } from './request-guard';
import { SECURITY_HEADERS, serveStatic } from './static-files';

/*
 * The shared contract over HTTP for serve mode and tests: `POST /api/<service>/<method>` with a JSON body for calls,
 * `GET /api/events` as Server-Sent Events for every `onX` event. Only on 127.0.0.1; every /api request needs the
 * token. Events are read with fetch streaming (EventSource cannot send the Authorization header), so the token
 * never appears in a URL, a log line or the browser history. The built renderer is served from `/`.
 */
export interface ControlServerOptions {
  services: Api;
  rendererDir: string;
  port?: number;
  /** Defaults to 32 random bytes; tests pass their own. */
  token?: string;
  /** Seconds between SSE keep-alive comments. */
  heartbeatSeconds?: number;
}

export interface ControlServer {
  url: string;
  port: number;
  token: string;
  /** The URL to open: the token travels in the fragment, which browsers never send to the server. */
  dashboardUrl: string;
  close(): Promise<void>;
}

export const MAX_BODY_BYTES = 6 * 1024 * 1024;

/*
 * A service's own refusal (an invalid workspace, no path yet, Azure said no) is an answer the UI shows in words,
 * not a failed request: 200 with `ok: false`, so the browser logs no "Failed to load resource" console error on an
 * expected path. What the caller got wrong at the protocol level (an unknown method, a malformed payload) keeps
 * its 4xx; the envelope is the same either way.
 */
const envelopeStatus = (code: ErrorCode) => (code === 'bad-request' ? 400 : code === 'not-found' ? 404 : 200);

function sendEnvelope(res: ServerResponse, status: number, envelope: Envelope<unknown>, extra: Record<string, string> = {}): void {
  const body = JSON.stringify(envelope);
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extra });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<{ ok: true; text: string } | { ok: false; tooLarge: true }> {
  return new Promise((done, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        // Keep nothing more, but let the rest flow by, so the client can read its 413 rather than a reset.
        req.removeAllListeners('data');
        req.resume();
        done({ ok: false, tooLarge: true });
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => done({ ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', reject);
  });
}

export async function startControlServer(opts: ControlServerOptions): Promise<ControlServer> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const rendererDir = resolve(opts.rendererDir);
  const streams = new Set<ServerResponse>();
  let port = 0;

  const unsubscribe = subscribeAll(opts.services, (channel, payload) => {
    const frame = `event: ${channel}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of streams) res.write(frame);
  });
  const heartbeat = setInterval(() => {
    for (const res of streams) res.write(': keep-alive\n\n');
  }, (opts.heartbeatSeconds ?? 15) * 1000);
  heartbeat.unref();

  async function handleApi(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const guard = checkRequest(req, token, port);
    if (!guard.ok) return sendEnvelope(res, guard.status, { ok: false, error: guard.error }, guard.status === 401 ? { 'www-authenticate': 'Bearer' } : {});

    if (path === '/api/events') {
      if (req.method !== 'GET') return sendEnvelope(res, 405, { ok: false, error: { code: 'bad-request', message: 'use GET for events' } }, { allow: 'GET' });
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }

    const m = /^\/api\/([A-Za-z]+)\/([A-Za-z]+)$/.exec(path);
    if (!m) return sendEnvelope(res, 404, { ok: false, error: { code: 'not-found', message: `no route ${path}` } });
    if (req.method !== 'POST') return sendEnvelope(res, 405, { ok: false, error: { code: 'bad-request', message: 'use POST for calls' } }, { allow: 'POST' });

    const body = await readBody(req);
    if (!body.ok) {
      return sendEnvelope(res, 413, { ok: false, error: { code: 'bad-request', message: `request body over ${MAX_BODY_BYTES / 1024 / 1024} MB` } }, { connection: 'close' });
    }
    let payload: unknown;
    if (body.text.trim() !== '') {
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
        return sendEnvelope(res, 415, { ok: false, error: { code: 'bad-request', message: 'send the payload as application/json' } });
      }
      try {
        payload = JSON.parse(body.text);
      } catch {
        return sendEnvelope(res, 400, { ok: false, error: { code: 'bad-request', message: 'the body is not valid JSON' } });
      }
      // Checked before any service walks it recursively (which would answer 500 "internal" at 5,000 levels).
      if (nestedDeeperThan(payload)) return sendEnvelope(res, 400, { ok: false, error: { code: 'bad-request', message: `the payload ${NESTED_TOO_DEEP}` } });
    }
    const result = await dispatch(opts.services, m[1]!, m[2]!, payload);
    sendEnvelope(res, result.ok ? 200 : envelopeStatus(result.error.code), result);
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = url.pathname === '/api' || url.pathname.startsWith('/api/')
      ? handleApi(req, res, url.pathname)
      : req.method === 'GET' || req.method === 'HEAD'
        ? serveStatic(rendererDir, url.pathname, res, req.method === 'HEAD')
        : Promise.resolve(sendEnvelope(res, 405, { ok: false, error: { code: 'bad-request', message: 'method not allowed' } }, { allow: 'GET, HEAD' }));
    route.catch((e: unknown) => {
      if (!res.headersSent) sendEnvelope(res, 500, { ok: false, error: { code: 'internal', message: (e as Error).message } });
      else res.destroy();
    });
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    port,
    token,
    dashboardUrl: `${url}/#token=${token}`,
    close: async () => {
      clearInterval(heartbeat);
      unsubscribe();
      for (const res of streams) res.end();
      streams.clear();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
    },
  };
}
