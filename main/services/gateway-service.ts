import { ContractError, type GatewayRun, type GatewayService, type SimulatorService, type WorkspaceState } from '../../shared/contract';
import type { GatewayEvent, GatewaySnapshot } from '../../shared/monitor';
import { validateWorkspace, type Workspace } from '../../shared/model';
import type { GatewayHandle, GatewayOptions } from '../gateway';
import type { SecretSource } from '../secrets/secret-source';
import type { SimulatorHandle, SimulatorOptions } from '../simulator';
import { createEmitter, createSerialQueue } from './emitter';

/*
 * The local gateway (and, with `simulate`, its simulated backends) on the open workspace, for the Run panel and
 * the Monitor. Engines come in as functions so tests can pass fakes; the real ones are main/gateway and
 * main/simulator. Valid edits of the open workspace reload a running gateway; invalid ones leave it as it was.
 */
export interface GatewayServiceDeps {
  startGateway(opts: GatewayOptions): Promise<GatewayHandle>;
  startSimulators(ws: Workspace, opts?: SimulatorOptions): Promise<SimulatorHandle>;
  secrets: SecretSource;
  /** The open workspace now, and its changes. */
  workspace: { value(): Record<string, unknown>; onChanged(listener: (s: WorkspaceState) => void): () => void };
  now?: () => number;
}

/** DESIGN §6: where the gateway listens when the workspace does not say (`gateway.port`). */
export const DEFAULT_GATEWAY_PORT = 8080;
/** How many ports after the preferred one are tried before giving up. */
const PORT_TRIES = 20;

export type GatewayServiceImpl = GatewayService & { simulator: SimulatorService; dispose(): Promise<void> };

interface Running {
  handle: GatewayHandle;
  sims: SimulatorHandle | null;
  startedAt: string;
  notice: string | null;
  offs: (() => void)[];
}

const STOPPED: GatewayRun = { running: false, url: null, simulate: false, startedAt: null };

export function createGatewayService(deps: GatewayServiceDeps): GatewayServiceImpl {
  const events = createEmitter<GatewayEvent>();
  const snapshots = createEmitter<GatewaySnapshot>();
  const runs = createEmitter<GatewayRun>();
  const serial = createSerialQueue();
  let current: Running | null = null;

  const runState = (): GatewayRun =>
    current ? { running: true, url: current.handle.url, simulate: current.sims !== null, startedAt: current.startedAt, notice: current.notice } : STOPPED;
  /** The port each workspace's gateway last listened on (by file path), so a restart keeps the clients' address. */
  const remembered = new Map<string, number>();
  let workspacePath: string | null = null;
  const workspaceKey = () => workspacePath ?? '(unsaved)';

  /**
   * Issue 15 item 6: a stable address. The workspace's `gateway.port`, else the port this workspace used last, else
   * 8080; when it is taken, the next free one with a notice (never a random port, which breaks clients' settings).
   */
  async function listen(ws: Workspace, opts: Omit<GatewayOptions, 'port' | 'workspace'>): Promise<{ handle: GatewayHandle; notice: string | null }> {
    const key = workspaceKey();
    const preferred = ws.gateway?.port ?? remembered.get(key) ?? DEFAULT_GATEWAY_PORT;
    let lastError: Error | undefined;
    for (let port = preferred; port < Math.min(65536, preferred + PORT_TRIES); port++) {
      try {
        const handle = await deps.startGateway({ ...opts, workspace: ws, port });
        remembered.set(key, port);
        const why = ws.gateway?.port !== undefined ? `gateway.port ${preferred}` : `port ${preferred}`;
        return { handle, notice: port === preferred ? null : `${why} is in use, so the gateway listens on ${port}: point clients there, or free ${preferred} and restart` };
      } catch (e) {
        lastError = e as Error;
        if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      }
    }
    throw new Error(`ports ${preferred}-${Math.min(65535, preferred + PORT_TRIES - 1)} are all in use (set gateway.port to a free one): ${lastError?.message ?? ''}`);
  }

  function validWorkspace(): Workspace {
    const result = validateWorkspace(deps.workspace.value());
    if (!result.ok) {
      const first = result.errors[0]!;
      throw new ContractError('invalid-workspace', `the gateway needs a valid workspace: ${first.path}: ${first.message}`, first.path);
    }
    return result.workspace;
  }

  async function stopNow(): Promise<void> {
    const r = current;
    if (!r) return;
    current = null;
    r.offs.forEach((off) => off());
    await r.handle.close();
    await r.sims?.close();
    runs.emit(STOPPED);
  }

  const reloadOnEdit = deps.workspace.onChanged((state) => {
    workspacePath = state.path;
    if (!current || !state.valid) return;
    const result = validateWorkspace(state.workspace);
    if (result.ok) current.handle.reload(result.workspace);
  });

  function requireRunning(): Running {
    if (!current) throw new ContractError('unavailable', 'the gateway is not running: start it first');
    return current;
  }

  function requireSimulation(): SimulatorHandle {
    const r = requireRunning();
    if (!r.sims) throw new ContractError('unavailable', 'faults apply to simulated backends: start the gateway with simulated backends');
    return r.sims;
  }

  const simulatorCall = (backend: string, change: (sims: SimulatorHandle) => void) => {
    const sims = requireSimulation();
    try {
      change(sims);
    } catch (e) {
      throw new ContractError('not-found', (e as Error).message, 'backend');
    }
    return { faults: sims.faults() };
  };

  return {
    start: ({ simulate }) =>
      serial(async () => {
        const ws = validWorkspace();
        await stopNow();
        const sims = simulate ? await deps.startSimulators(ws) : null;
        let handle: GatewayHandle;
        let notice: string | null;
        try {
          ({ handle, notice } = await listen(ws, {
            secrets: deps.secrets,
            backendUrls: sims ? Object.fromEntries(Object.entries(sims.backends).map(([id, b]) => [id, b.url])) : undefined,
            simulation: sims ?? undefined,
            now: deps.now,
          }));
        } catch (e) {
          await sims?.close();
          throw new ContractError('io', `the gateway did not start: ${(e as Error).message}`);
        }
        current = {
          handle,
          sims,
          startedAt: new Date(deps.now?.() ?? Date.now()).toISOString(),
          notice,
          offs: [handle.subscribe((e) => events.emit(e)), handle.onSnapshot((s) => snapshots.emit(s))],
        };
        const state = runState();
        runs.emit(state);
        return state;
      }),
    stop: () =>
      serial(async () => {
        await stopNow();
        return runState();
      }),
    status: async () => ({ ...runState(), status: current ? current.handle.status() : null }),
    resetBreaker: async ({ backend }) => ({ reset: requireRunning().handle.reset(backend) }),
    setCarbonEmission: async ({ region, emission }) => {
      const { handle } = requireRunning();
      handle.setCarbonEmission(region, emission);
      return { carbonEmission: handle.status().carbonEmission ?? {} };
    },
    history: async ({ seconds }) => (current ? current.handle.history(seconds) : { snapshots: [], events: [] }),
    onEvent: (l) => events.on(l),
    onSnapshot: (l) => snapshots.on(l),
    onRunning: (l) => runs.on(l),
    simulator: {
      setFault: async ({ backend, fault }) => simulatorCall(backend, (s) => s.setFault(backend, fault)),
      clearFault: async ({ backend }) => simulatorCall(backend, (s) => s.clearFault(backend)),
      faults: async () => ({ faults: current?.sims ? current.sims.faults() : {} }),
    },
    dispose: async () => {
      reloadOnEdit();
      await serial(stopNow);
    },
  };
}
