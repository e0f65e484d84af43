import { dirname } from 'node:path';
import { ContractError, type GatewayService, type SimulatorService, type WorkspaceService } from '../../shared/contract';
import { LOAD_LIMITS, type DrillStart, type LoadJob, type LoadJobDone, type LoadProgressEvent, type LoadService, type LoadStart } from '../../shared/contract/load';
import { validateWorkspace, type Workspace } from '../../shared/model';
import { checkDrillAgainstWorkspace, parseDrillText, type Drill } from '../../shared/simulation/drill-file';
import type { FaultSpec } from '../../shared/simulation/faults';
import { buildTarget, loadDrillFile, runDrill, runLoad, type StartGateway, type StartSimulators } from '../loadgen';
import { createEmitter } from './emitter';

/*
 * The Simulate screen's load generator and drills, over main/loadgen. One job at a time; every job is bounded in
 * requests and time (LOAD_LIMITS, checked again by the contract) and can be cancelled. Calls answer once the job
 * runs; progress (once a second) and the report come as events.
 */
export interface LoadServiceDeps {
  gateway: Pick<GatewayService, 'status' | 'onEvent'>;
  simulator: SimulatorService;
  workspace: Pick<WorkspaceService, 'current'> & { value(): Record<string, unknown> };
  /** Where relative drill paths go when the workspace has no file yet. */
  cwd: string;
  startGateway: StartGateway;
  startSimulators: StartSimulators;
  now?: () => number;
}

export type LoadServiceImpl = LoadService & { dispose(): Promise<void> };

interface Running {
  job: LoadJob;
  /** The last progress event, for a window that opens mid-run. */
  progress?: LoadProgressEvent;
  abort: AbortController;
  done: Promise<void>;
}

export function createLoadService(deps: LoadServiceDeps): LoadServiceImpl {
  const progress = createEmitter<LoadProgressEvent>();
  const done = createEmitter<LoadJobDone>();
  let nextId = 1;
  let current: Running | null = null;
  const now = () => deps.now?.() ?? Date.now();

  function begin(kind: LoadJob['kind'], totalMs: number, work: (job: LoadJob, signal: AbortSignal) => Promise<Omit<LoadJobDone, 'id' | 'kind'>>): LoadJob {
    if (current) throw new ContractError('unavailable', `a ${current.job.kind} is already running: wait for it or cancel it`);
    const job: LoadJob = { id: nextId++, kind, startedAt: new Date(now()).toISOString(), totalMs };
    const abort = new AbortController();
    const run: Running = {
      job,
      abort,
      done: work(job, abort.signal)
        .catch((e: unknown) => ({ error: { message: (e as Error).message } }))
        .then((result) => {
          current = null;
          done.emit({ id: job.id, kind, ...result });
        }),
    };
    current = run;
    return job;
  }

  async function runningGateway(needSimulation: boolean) {
    const s = await deps.gateway.status();
    if (!s.running || !s.url || !s.status) throw new ContractError('unavailable', 'the gateway is not running: start it first');
    if (needSimulation && !s.simulate) throw new ContractError('unavailable', 'a live drill switches faults on simulated backends: start the gateway with simulated backends');
    return { url: s.url, status: s.status };
  }

  const emitProgress = (job: LoadJob) => (p: { elapsedMs: number; sent: number; completed: number; ok: number; failed: number; inFlight: number }) => {
    const event: LoadProgressEvent = { id: job.id, kind: job.kind, totalMs: job.totalMs, elapsedMs: Math.round(p.elapsedMs), sent: p.sent, completed: p.completed, ok: p.ok, failed: p.failed, inFlight: p.inFlight };
    if (current?.job.id === job.id) current.progress = event;
    progress.emit(event);
  };

  async function startLoad(input: LoadStart): Promise<LoadJob> {
    const { url, status } = await runningGateway(false);
    const apiIds = Object.keys(status.apis);
    const apiId = input.api ?? apiIds[0];
    const api = apiId !== undefined ? status.apis[apiId] : undefined;
    if (!api) throw new ContractError('not-found', apiIds.length === 0 ? 'the workspace has no apis to send load to' : `no api "${input.api}" (the workspace has: ${apiIds.join(', ')})`, 'api');
    const target = buildTarget({ url, api: api.path, deployment: input.deployment, kind: input.kind, stream: input.stream });
    const durationMs = input.durationSeconds * 1000;
    return begin('load', durationMs, async (job, signal) => {
      const report = await runLoad({
        target,
        rps: input.rps,
        concurrency: LOAD_LIMITS.maxConcurrency,
        durationMs,
        // Bounded twice: by time and by count, so a stalled clock cannot make it run on.
        requests: Math.ceil(input.rps * input.durationSeconds),
        timeoutMs: 30_000,
        onProgress: emitProgress(job),
        signal,
      });
      return { load: { ...report, errors: report.errors as Record<string, number> } };
    });
  }

  async function readDrill(input: DrillStart, ws: Workspace): Promise<Drill> {
    if (input.text !== undefined) {
      const parsed = parseDrillText(input.text);
      const errors = parsed.ok ? checkDrillAgainstWorkspace(parsed.drill, ws) : parsed.errors;
      if (!parsed.ok || errors.length > 0) throw new ContractError('bad-request', `drill: ${errors[0]!.path}: ${errors[0]!.message}`, errors[0]!.path);
      return parsed.drill;
    }
    const state = await deps.workspace.current();
    const base = state.path ? dirname(state.path) : deps.cwd;
    const loaded = await loadDrillFile(input.path!, base, ws);
    if (!loaded.ok) throw new ContractError('bad-request', `${input.path}: ${loaded.errors[0]!.path}: ${loaded.errors[0]!.message}`, loaded.errors[0]!.path);
    return loaded.drill;
  }

  /** Engines that are the running gateway and its simulators: closing them only clears the faults the drill set. */
  function liveEngines(url: string): { startGateway: StartGateway; startSimulators: StartSimulators } {
    const touched = new Set<string>();
    const quiet = (p: Promise<unknown>) => void p.catch(() => undefined);
    return {
      startSimulators: async () => ({
        setFault: (backend: string, fault: FaultSpec) => {
          touched.add(backend);
          quiet(deps.simulator.setFault({ backend, fault }));
        },
        clearFault: (backend: string) => quiet(deps.simulator.clearFault({ backend })),
        faults: () => ({}),
        backends: {},
        close: async () => {
          await Promise.all([...touched].map((backend) => deps.simulator.clearFault({ backend }).catch(() => undefined)));
        },
      }),
      startGateway: async () => ({ url, subscribe: (l) => deps.gateway.onEvent(l), close: async () => undefined }),
    };
  }

  async function startDrill(input: DrillStart): Promise<LoadJob> {
    const checked = validateWorkspace(deps.workspace.value());
    if (!checked.ok) throw new ContractError('invalid-workspace', `a drill needs a valid workspace: ${checked.errors[0]!.path}: ${checked.errors[0]!.message}`, checked.errors[0]!.path);
    const drill = await readDrill(input, checked.workspace);
    const engines = input.live ? liveEngines((await runningGateway(true)).url) : { startGateway: deps.startGateway, startSimulators: deps.startSimulators };
    // The live gateway runs at real time: a compressed drill would mis-time its breakers.
    const speed = input.live ? 1 : (input.speed ?? drill.speed);
    const totalMs = drill.load.duration / speed;
    return begin('drill', totalMs, async (job, signal) => {
      const report = await runDrill({ workspace: checked.workspace, drill, speed, ...engines, signal, onProgress: emitProgress(job) });
      return { drill: report };
    });
  }

  return {
    start: startLoad,
    runDrill: startDrill,
    cancel: async () => {
      const r = current;
      if (!r) return { cancelled: false };
      r.abort.abort();
      await r.done;
      return { cancelled: true };
    },
    current: async () => ({ job: current?.job ?? null, progress: current?.progress ?? null }),
    onProgress: (l) => progress.on(l),
    onDone: (l) => done.on(l),
    dispose: async () => {
      current?.abort.abort();
      await current?.done;
    },
  };
}
