import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { TokenCredential } from '@azure/core-auth';
import type { RegionEmission, Workspace } from '../../shared/model';
import type { GatewayEvent, GatewaySnapshot, GatewayStatus } from '../../shared/monitor';
import type { SimulationControl } from '../../shared/simulation/faults';
import type { SecretSource } from '../secrets/secret-source';
import { durationMs } from '../../shared/model/duration';
import { GatewayEngine, type EngineTimers } from './engine';
import { answerClientError, connectionCap, urlHost } from './http-util';
import { isLoopback, keyChecker } from './gateway-key';
import { createMetricsRegistry } from './prometheus';
import { createRequestHandler } from './request-handler';
import { buildStatus } from './status';
import { watchWorkspace } from './watch';

export interface GatewayOptions {
  workspace: Workspace;
  /** Watched: valid edits reload, invalid ones are refused with errors and the old table keeps serving. */
  workspacePath?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 = a free port. */
  port?: number;
  /** Per backend id, replaces the workspace url (simulated stand-ins). */
  backendUrls?: Record<string, string>;
  /** When set, POST/DELETE /_breakerboard/simulation/<id>/fault are served. */
  simulation?: SimulationControl;
  secrets?: SecretSource;
  /** Divides breaker intervals, trip durations and Retry-After, for drills. */
  speed?: number;
  gatewayKey?: string;
  accessLog?: (line: string) => void;
  now?: () => number;
  /** Timers for the reset announcements (engine.ts); default real. */
  timers?: EngineTimers;
  /** Managed-identity tokens come from here instead of DefaultAzureCredential (tests, the desktop's sign-in). */
  tokenCredential?: (clientId: string | undefined) => TokenCredential;
  /** How long close() lets in-flight requests finish before cutting them (default 10 s). */
  drainMs?: number;
  /** Concurrent connections one client address may hold (loopback clients are not capped); default 256. */
  maxConnectionsPerClient?: number;
}

/**
 * How long a client may take to send its request (issue 14): headers as Node's `headersTimeout` and nginx's
 * `client_header_timeout` (60 s), then the body within `clientBody` more (nginx's `client_body_timeout`, 60 s).
 */
export const CLIENT_TIMEOUT_DEFAULTS = { clientHeaders: 'PT60S', clientBody: 'PT60S' } as const;
export const MAX_CONNECTIONS_PER_CLIENT = 256;

export interface GatewayHandle {
  url: string;
  port: number;
  status(): GatewayStatus;
  subscribe(listener: (e: GatewayEvent) => void): () => void;
  onSnapshot(listener: (s: GatewaySnapshot) => void): () => void;
  /** What a late subscriber missed: the last `seconds` of snapshots (≤ 900) and the events of that time. */
  history(seconds: number): { snapshots: GatewaySnapshot[]; events: GatewayEvent[] };
  reset(backendId: string): boolean;
  /** A region's carbon emission from now on, or null for the workspace's value (F-ROUTE-7). */
  setCarbonEmission(region: string, emission: RegionEmission | null): void;
  reload(ws: Workspace): void;
  close(): Promise<void>;
}

export type { GatewayEvent, GatewaySnapshot, GatewayStatus };

/** Starts the local gateway engine (DESIGN §3) and resolves once it listens. */
export async function startGateway(opts: GatewayOptions): Promise<GatewayHandle> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopback(host) && !opts.gatewayKey) {
    throw new Error(`listening on ${host} (beyond loopback) needs a gateway key: set BREAKERBOARD_GATEWAY_KEY, or the gateway would relay anyone with your backend keys`);
  }
  const engine = new GatewayEngine(opts.workspace, {
    speed: opts.speed,
    backendUrls: opts.backendUrls,
    secrets: opts.secrets,
    credentialFactory: opts.tokenCredential,
    now: opts.now,
    timers: opts.timers,
  });
  if (opts.accessLog) {
    const write = opts.accessLog;
    engine.accessLog = (entry) => write(JSON.stringify(entry));
  }
  const registry = createMetricsRegistry({ meters: () => engine.meters, isOpen: (id) => engine.isOpen(id), llmTokens: () => engine.tokens.series.all() });
  const timeouts = opts.workspace.gateway?.timeouts;
  const headersMs = durationMs(timeouts?.clientHeaders ?? CLIENT_TIMEOUT_DEFAULTS.clientHeaders);
  const bodyMs = durationMs(timeouts?.clientBody ?? CLIENT_TIMEOUT_DEFAULTS.clientBody);
  const server: Server = createServer({
    keepAlive: true,
    keepAliveTimeout: 65_000,
    headersTimeout: headersMs,
    // Node's requestTimeout runs from the first byte to the end of the request body.
    requestTimeout: headersMs + bodyMs,
    // How often node looks for late requests: often enough that a limit is kept within a quarter of it.
    connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(Math.min(headersMs, bodyMs) / 4))),
  }, createRequestHandler(engine, registry, opts.simulation, opts.gatewayKey ? keyChecker(opts.gatewayKey) : undefined));
  const sockets = new Set<Socket>();
  const cap = connectionCap(opts.maxConnectionsPerClient ?? MAX_CONNECTIONS_PER_CLIENT);
  server.on('connection', (s) => {
    const address = s.remoteAddress;
    if (!cap.admit(address)) {
      s.destroy();
      return;
    }
    sockets.add(s);
    s.on('close', () => {
      sockets.delete(s);
      cap.release(address);
    });
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    const code = answerClientError(err, socket);
    if (code) engine.gatewayError(code);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // One snapshot per second of the engine's clock (STYLE rule 8); aligned so buckets are whole seconds.
  let ticker: NodeJS.Timeout | undefined;
  const schedule = () => {
    ticker = setTimeout(() => {
      engine.tick();
      schedule();
    }, 1000 - (engine.now() % 1000));
    ticker.unref();
  };
  schedule();
  const unwatch = opts.workspacePath ? watchWorkspace(opts.workspacePath, engine) : undefined;
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${urlHost(host)}:${port}`,
    port,
    status: () => buildStatus(engine),
    subscribe: (l) => engine.events.subscribe(l),
    onSnapshot: (l) => engine.snapshots.subscribe(l),
    history: (seconds) => engine.history(seconds),
    reset: (id) => engine.reset(id),
    setCarbonEmission: (region, emission) => void engine.setCarbonEmission(region, emission),
    reload: (ws) => engine.apply(ws),
    close: () =>
      (closing ??= (async () => {
        clearTimeout(ticker);
        unwatch?.();
        // Drain (SIGTERM): stop accepting, let in-flight answers finish (bounded), then cut what is left.
        const closed = new Promise<void>((r) => server.close(() => r()));
        server.closeIdleConnections();
        const deadline = Date.now() + (opts.drainMs ?? 10_000);
        while ([...engine.meters.values()].some((m) => m.inFlight > 0) && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 25));
          server.closeIdleConnections();
        }
        for (const s of sockets) s.destroy();
        await closed;
        await engine.close(true);
      })()),
  };
}
