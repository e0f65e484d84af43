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

export type GatewayServiceImpl = GatewayService & { simulator: SimulatorService; dispose(): Promise<void> };

interface Running {
  handle: GatewayHandle;
  sims: SimulatorHandle | null;
  startedAt: string;
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
    current ? { running: true, url: current.handle.url, simulate: current.sims !== null, startedAt: current.startedAt } : STOPPED;

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
        try {
          handle = await deps.startGateway({
            workspace: ws,
            port: 0,
            secrets: deps.secrets,
            backendUrls: sims ? Object.fromEntries(Object.entries(sims.backends).map(([id, b]) => [id, b.url])) : undefined,
            simulation: sims ?? undefined,
          });
        } catch (e) {
          await sims?.close();
          throw new ContractError('io', `the gateway did not start: ${(e as Error).message}`);
        }
        current = {
          handle,
          sims,
          startedAt: new Date(deps.now?.() ?? Date.now()).toISOString(),
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
