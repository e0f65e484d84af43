import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { SimulationControl } from '../../shared/simulation/faults';
import { faultRoute } from '../simulator';
import { handleCarbon, isCarbonPath } from './carbon-endpoint';
import type { GatewayEngine } from './engine';
import { sendError, sendJson } from './http-util';
import { buildStatus } from './status';

/*
 * The gateway's own endpoints (DESIGN §3): status, events (SSE), metrics, manual reset, simulated faults, region
 * carbon emission (carbon-endpoint.ts).
 * Off the hot path: the proxy only checks the `/_breakerboard/` prefix and `/metrics`.
 */
const SSE_HEARTBEAT_MS = 15_000;
const SSE_MAX_BUFFERED = 1024 * 1024;

export function isAdminPath(url: string): boolean {
  return url.startsWith('/_breakerboard/') || url === '/metrics' || url.startsWith('/metrics?');
}

export async function handleAdmin(engine: GatewayEngine, registry: Registry, simulation: SimulationControl | undefined, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]!;
  const method = req.method ?? 'GET';
  if (path === '/metrics' && method === 'GET') {
    const text = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType });
    res.end(text);
    return;
  }
  if (path === '/_breakerboard/status' && method === 'GET') return sendJson(res, 200, buildStatus(engine));
  if (path === '/_breakerboard/events' && method === 'GET') return streamEvents(engine, req, res);
  const reset = /^\/_breakerboard\/backends\/([^/]+)\/reset$/.exec(path);
  if (reset && method === 'POST') {
    let id: string;
    try {
      id = decodeURIComponent(reset[1]!);
    } catch {
      return sendError(res, 400, 'BadRequest', `the backend id in ${path} is not valid %-encoding`);
    }
    if (!engine.reset(id)) return sendError(res, 404, 'NotFound', `no backend ${id}`);
    return sendJson(res, 200, { ok: true, backend: id, state: 'closed' });
  }
  if (isCarbonPath(path)) return handleCarbon(engine, path, method, req, res);
  if (path.startsWith('/_breakerboard/simulation')) {
    if (!simulation) return sendError(res, 404, 'NotFound', 'faults can be switched only when the gateway runs with --simulate');
    // The simulator's own route: the same answers as the standalone `simulate` command gives.
    if (faultRoute(simulation)(req, res)) return;
  }
  return sendError(res, 404, 'NotFound', `no gateway endpoint ${method} ${path}`);
}

/** `event: <type>` + `data: <json>` per event, a comment line as heartbeat so proxies keep the stream open. */
function streamEvents(engine: GatewayEngine, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  res.write(': breakerboard events\n\n');
  const unsubscribe = engine.events.subscribe((e) => {
    // A client that stopped reading is dropped rather than buffered without bound.
    if (res.writableLength > SSE_MAX_BUFFERED) res.destroy();
    else res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
  });
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS);
  heartbeat.unref();
  const stop = () => {
    unsubscribe();
    clearInterval(heartbeat);
  };
  req.on('close', stop);
  res.on('close', stop);
}
