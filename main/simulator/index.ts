import { createServer, type Server } from 'node:http';
import type { Workspace } from '../../shared/model';
import type { FaultSpec, SimulationControl } from '../../shared/simulation/faults';
import { SimulatedBackend } from './backend-server';
import { faultRoute } from './fault-endpoint';
import type { SimTimers } from './pacing';
import { resolveProfile } from './profile';

export { faultAnswer, faultRoute, FAULT_PATH } from './fault-endpoint';
export { DEFAULT_PROFILE, resolveProfile, type ResolvedProfile } from './profile';
export type { SimTimers } from './pacing';

export interface SimulatorOptions {
  host?: string;
  /** First port; backends take consecutive ports in workspace order. Undefined or 0 = free ports. */
  portBase?: number;
  /** Overrides every profile's seed; without either, a fixed default, so runs repeat anyway. */
  seed?: number;
  /**
   * Time compression for drills: budget windows (a minute / speed), latencies and streaming pace all run `speed`
   * times faster, so a drill at speed 10 is the real one in a tenth of the time. Retry-After headers stay in
   * drill time (a throttle with retryAfter 30 says 30): the gateway, started with the same speed, divides them once.
   */
  speed?: number;
  /** Serve `/_breakerboard/simulation/<id>/fault` on every backend port too (the standalone `simulate` command). */
  serveFaultRoutes?: boolean;
  /** Monotonic clock in ms for the budgets (tests). */
  now?: () => number;
  /** Timers for latency and streaming pace (tests; default real). */
  timers?: SimTimers;
}

export type SimulatorHandle = SimulationControl & {
  backends: Record<string, { url: string; port: number }>;
  close(): Promise<void>;
};

const DEFAULT_SEED = 20_261_125;

/** One simulated Azure OpenAI server per backend of the workspace, on 127.0.0.1 unless told otherwise. */
export async function startSimulators(ws: Workspace, opts: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const host = opts.host ?? '127.0.0.1';
  const speed = opts.speed && opts.speed > 0 ? opts.speed : 1;
  const sims = new Map<string, SimulatedBackend>();
  const control: SimulationControl = {
    setFault(id: string, fault: FaultSpec) {
      get(id).setFault(fault);
    },
    clearFault(id: string) {
      get(id).clearFault();
    },
    faults() {
      return Object.fromEntries([...sims].map(([id, s]) => [id, s.currentFault]));
    },
  };
  const get = (id: string) => {
    const s = sims.get(id);
    if (!s) throw new Error(`no simulated backend "${id}" (simulated: ${[...sims.keys()].join(', ') || 'none'})`);
    return s;
  };
  const extraRoute = opts.serveFaultRoutes ? faultRoute(control) : undefined;
  const ids = Object.keys(ws.backends);
  ids.forEach((id, i) => {
    const profile = resolveProfile(ws.simulation?.[id]);
    const seed = opts.seed ?? profile.seed ?? DEFAULT_SEED;
    const port = opts.portBase ? opts.portBase + i : 0;
    const region = ws.backends[id]!.azureRegion ?? ws.backends[id]!.capacity?.region;
    sims.set(id, new SimulatedBackend({ id, profile, host, port, seed, speed, now: opts.now, timers: opts.timers, extraRoute, region }));
  });
  try {
    for (const s of sims.values()) await s.start();
  } catch (e) {
    await Promise.all([...sims.values()].map((s) => s.close()));
    throw e;
  }
  const backends: SimulatorHandle['backends'] = {};
  for (const id of ids) {
    const s = sims.get(id)!;
    backends[id] = { url: `http://${urlHost(host)}:${s.port}${backendPath(ws.backends[id]!.url)}`, port: s.port };
  }
  return {
    ...control,
    backends,
    close: async () => {
      await Promise.all([...sims.values()].map((s) => s.close()));
    },
  };
}

/** The path of the backend's real url (`https://x.openai.azure.com/openai` → `/openai`), without a trailing slash. */
function backendPath(url: string): string {
  try {
    return new URL(url).pathname.replace(/\/+$/, '');
  } catch {
    return '';
  }
}

const urlHost = (host: string) => (host.includes(':') ? `[${host}]` : host);

/** A small server that serves only the fault endpoints (used by `simulate` so faults work during an outage too). */
export async function startFaultControl(control: SimulationControl, host = '127.0.0.1', port = 0): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const route = faultRoute(control);
  const server: Server = createServer((req, res) => {
    if (!route(req, res)) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'NotFound', message: 'only /_breakerboard/simulation/<id>/fault is served here' } }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  const actual = addr && typeof addr === 'object' ? addr.port : port;
  return { url: `http://${urlHost(host)}:${actual}`, port: actual, close: () => new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections();
  }) };
}
