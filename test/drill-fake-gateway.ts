import { createServer } from 'node:http';
import { request } from 'undici';
import type { DrillGateway, StartGateway } from '../main/loadgen';
import type { GatewayEventLike } from '../main/loadgen/drill-report';

/*
 * A stand-in for the gateway engine with just enough behaviour for drill-runner tests: every request goes to the
 * first backend unless its breaker is open; a 429 opens it for Retry-After / speed and retries on the next one.
 * Like the engine, it reads the drill's clock and timers when given (virtual time), else the real ones.
 */
export const startFakeGateway: StartGateway = async (opts) => {
  const ids = Object.keys(opts.workspace.backends);
  const speed = opts.speed ?? 1;
  const now = opts.now ?? Date.now;
  const clock = opts.timers ?? { setTimeout: (fn: () => void, ms: number): unknown => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout) };
  const openUntil = new Map<string, number>();
  const listeners = new Set<(e: GatewayEventLike) => void>();
  const emit = (e: Omit<GatewayEventLike, 'at'>) => listeners.forEach((l) => l({ ...e, at: new Date(now()).toISOString() }));
  const timers = new Set<unknown>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = (req.url ?? '/').replace(/^\/openai/, '');
    let attempts = 0;
    for (const id of ids) {
      if ((openUntil.get(id) ?? 0) > now()) continue;
      attempts++;
      try {
        const r = await request(`${opts.backendUrls![id]}${path}`, { method: 'POST', body: Buffer.concat(chunks), headers: { 'content-type': 'application/json' } });
        const body = await r.body.text();
        if (r.statusCode === 429) {
          const ms = (Number(r.headers['retry-after']) * 1000) / speed;
          openUntil.set(id, now() + ms);
          emit({ type: 'trip', backend: id, reason: `429, Retry-After ${r.headers['retry-after']}` });
          const t = clock.setTimeout(() => {
            timers.delete(t);
            emit({ type: 'reset', backend: id });
          }, ms);
          timers.add(t);
          continue;
        }
        res.writeHead(r.statusCode, { 'x-breakerboard-backend': id, 'x-breakerboard-attempts': String(attempts), 'content-type': 'application/json' });
        return res.end(body);
      } catch {
        continue;
      }
    }
    res.writeHead(503, { 'x-breakerboard-attempts': String(attempts) });
    res.end('{"error":{"code":"NoHealthyBackend","message":"none"}}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  const gw: DrillGateway = {
    url: `http://127.0.0.1:${port}`,
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    close: () =>
      new Promise<void>((r) => {
        timers.forEach((t) => clock.clearTimeout(t));
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
  return gw;
};
