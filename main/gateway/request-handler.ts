import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { matchApi, matchesOperation } from '../../shared/semantics';
import type { SimulationControl } from '../../shared/simulation/faults';
import { handleAdmin, isAdminPath } from './admin';
import type { GatewayEngine } from './engine';
import { operationNotFound } from './apim-answers';
import { Exchange } from './exchange';
import { confinePath, scanRequestHeaders, sendError } from './http-util';
import { admitTokens } from './token-limit';

/**
 * The server's request listener: gateway key, admin endpoints, then the proxy hot path — match the API, check the
 * body size, early 503 when every member is open, then buffer (retry possible) or stream the body and go.
 */
export function createRequestHandler(engine: GatewayEngine, registry: Registry, simulation: SimulationControl | undefined, authorized: ((req: IncomingMessage) => boolean) | undefined) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    if (authorized && !authorized(req)) {
      engine.gatewayError('Unauthorized');
      logRefusal(engine, req, 401, 'Unauthorized');
      return sendError(res, 401, 'Unauthorized', 'this gateway listens beyond loopback: send the gateway key (BREAKERBOARD_GATEWAY_KEY) as api-key or a bearer token');
    }
    if (url.charCodeAt(1) === 95 /* _ */ || url.charCodeAt(1) === 109 /* m */) {
      if (isAdminPath(url)) {
        handleAdmin(engine, registry, simulation, req, res).catch((e: Error) => sendError(res, 500, 'InternalError', e.message));
        return;
      }
    }
    const router = engine.router;
    const api = matchApi(router.table, url);
    if (!api) {
      engine.gatewayError('NotFound');
      logRefusal(engine, req, 404, 'NotFound');
      return sendError(res, 404, 'NotFound', `no API serves ${url.split('?')[0]}; configured paths: ${router.table.apis.map((a) => a.prefix).join(', ') || '(none)'}`);
    }
    // Dot segments are resolved here, never by the backend: a path that would leave the API's base path is refused.
    const target = confinePath(url, api.prefix);
    if (target === null) {
      engine.gatewayError('BadRequest');
      logRefusal(engine, req, 400, 'BadRequest', api.id);
      return sendError(res, 400, 'BadRequest', `the request path leaves the API's base path ${api.prefix} (dot segments or an encoded slash or backslash)`, ['connection', 'close']);
    }
    if (api.operations && !matchesOperation(api.operations, req.method ?? '', target.slice(api.prefix.length))) return operationNotFound(engine, req, res, api.id);
    const limits = router.table.limits;
    const headers: string[] = [];
    const length = scanRequestHeaders(req.rawHeaders, headers);
    if (length > limits.maxRequestBytes) {
      engine.gatewayError('RequestTooLarge');
      logRefusal(engine, req, 413, 'RequestTooLarge', api.id);
      return sendError(res, 413, 'RequestTooLarge', `request body of ${length} bytes is over the limit of ${limits.maxRequestBytes} (gateway.maxRequestBytes)`, ['connection', 'close']);
    }
    // Bodies that may be replayed are kept in memory (B8); unknown lengths too, bounded by maxRequestBytes.
    const buffered = length === 0 || length < 0 || (api.retryCount > 0 && length <= limits.retryBufferBytes) || engine.tokens.readsBody(api.id);
    const ex = new Exchange(engine, router, api, req, res, target.slice(api.prefix.length), buffered, headers);
    if (!admitTokens(engine.tokens, ex)) return;
    if (!ex.target.anyAvailable(engine.now())) return ex.noBackend();
    if (length === 0) {
      const first = ex.target.choose(engine.now());
      return first < 0 ? ex.noBackend() : ex.start(first);
    }
    if (buffered) return ex.readBody(limits.maxRequestBytes);
    const first = ex.target.choose(engine.now());
    return first < 0 ? ex.noBackend() : ex.start(first);
  };
}

/** Access-log line for a request the gateway refused before any API handled it. */
function logRefusal(engine: GatewayEngine, req: IncomingMessage, status: number, code: string, api = ''): void {
  engine.accessLog?.({ at: engine.iso(), method: req.method ?? '', path: req.url ?? '', api, status, backend: null, attempts: 0, ms: 0, code });
}
