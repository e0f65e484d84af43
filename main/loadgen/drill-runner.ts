import type { RegionEmission, Workspace } from '../../shared/model';
import type { Drill } from '../../shared/simulation/drill-file';
import type { SimulationControl } from '../../shared/simulation/faults';
import type { SimulatorHandle, SimulatorOptions } from '../simulator';
import { bucketFor, buildDrillReport, DrillRecorder, type DrillReport, type GatewayEventLike } from './drill-report';
import { tenantTargets } from './drill-tenants';
import { runLoad, type LoadProgress } from './run-load';
import { buildTarget } from './target';
import { REAL_CLOCK, VirtualClock, type ClockTimers, type LoadClock } from './virtual-clock';

/** The part of the gateway engine a drill needs (main/gateway's startGateway satisfies it). */
export interface DrillGateway {
  url: string;
  subscribe(listener: (event: GatewayEventLike) => void): () => void;
  close(): Promise<void>;
  /** A region's carbon emission from now on, null = the workspace's (F-ROUTE-7); needed by drills with carbon steps. */
  setCarbonEmission?(region: string, emission: RegionEmission | null): void;
}

export type StartGateway = (opts: {
  workspace: Workspace;
  host?: string;
  port?: number;
  backendUrls?: Record<string, string>;
  simulation?: SimulationControl;
  speed?: number;
  secrets?: { get(name: string): string | undefined };
  /** Virtual time: the engine's clock (epoch ms) and the timers that announce resets. */
  now?: () => number;
  timers?: Pick<ClockTimers, 'setTimeout' | 'clearTimeout'>;
}) => Promise<DrillGateway>;

export type StartSimulators = (ws: Workspace, opts?: SimulatorOptions) => Promise<SimulatorHandle>;

export interface DrillOptions {
  workspace: Workspace;
  drill: Drill;
  /** Overrides the file's speed. */
  speed?: number;
  startGateway: StartGateway;
  startSimulators: StartSimulators;
  signal?: AbortSignal;
  onProgress?: (p: LoadProgress & { drillMs: number }) => void;
  /**
   * Run on a virtual clock shared by the load generator, the gateway engine and the simulated backends
   * (./virtual-clock): the same requests through the same gateway, but the report no longer depends on how busy
   * the machine is, and a drill takes as long as its requests take to process.
   */
  virtualTime?: boolean;
}

/** Where a virtual drill's engine clock starts: fixed, so breaker windows and slots fall alike in every run. */
export const VIRTUAL_EPOCH = Date.UTC(2026, 0, 1);

/**
 * Starts the simulated backends and a gateway in front of them, runs the load, switches faults (and regions' carbon
 * emission) at their times, and reports. Everything it started is closed again, whatever happens.
 */
export async function runDrill(o: DrillOptions): Promise<DrillReport> {
  const { drill, workspace } = o;
  const speed = o.speed ?? drill.speed;
  const wallStart = performance.now();
  const virtual = o.virtualTime ? new VirtualClock() : undefined;
  const clock: LoadClock = virtual ?? REAL_CLOCK;
  const sims = await o.startSimulators(workspace, { speed, ...(drill.seed !== undefined ? { seed: drill.seed } : {}), ...(virtual ? { now: virtual.now, timers: virtual.simulatorTimers() } : {}) });
  let gateway: DrillGateway | undefined;
  const timers: unknown[] = [];
  let unsubscribe: () => void = () => undefined;
  try {
    const backendUrls = Object.fromEntries(Object.entries(sims.backends).map(([id, b]) => [id, b.url]));
    // Simulated backends take any key: a stand-in value keeps "secret not available" warnings out of the report.
    const secrets = { get: () => 'simulated' };
    const engineClock = virtual ? { now: virtual.epoch(VIRTUAL_EPOCH), timers: virtual } : {};
    gateway = await o.startGateway({ workspace, host: '127.0.0.1', port: 0, backendUrls, simulation: sims, speed, secrets, ...engineClock });
    if (drill.timeline.some((s) => s.carbon) && !gateway.setCarbonEmission) throw new Error('this gateway cannot switch carbon emission: the drill has carbon steps');
    const apiId = drill.load.api ?? Object.keys(workspace.apis ?? {})[0]!;
    const api = workspace.apis![apiId]!;
    const target = buildTarget({ url: new URL(gateway.url).origin, api: api.path, deployment: drill.load.deployment, kind: drill.load.kind, stream: drill.load.stream, maxTokens: drill.load.maxTokens });
    const targetFor = drill.load.tenants ? tenantTargets(target, drill.load.tenants) : undefined;
    const durationMs = drill.load.duration;
    const recorder = new DrillRecorder(speed, bucketFor(durationMs), virtual ? VIRTUAL_EPOCH : Date.now());
    unsubscribe = gateway.subscribe((e) => recorder.event(e));
    // The load's clock starts when runLoad is called, right after these timers are set: the recorder compares a
    // request's send and end times with the steps' times, so both are read from (nearly) the same origin.
    let t0 = clock.now();
    for (const step of drill.timeline) {
      timers.push(
        clock.setTimeout(() => {
          const at = clock.now() - t0;
          if (step.fault) {
            sims.setFault(step.fault.backend, step.fault.fault);
            recorder.fault(at, step.fault.backend, step.fault.fault);
          } else if (step.clear) {
            sims.clearFault(step.clear.backend);
            recorder.fault(at, step.clear.backend, null);
          } else if (step.carbon) {
            const { region, emission } = step.carbon;
            gateway!.setCarbonEmission!(region, emission === 'workspace' ? null : emission);
            recorder.carbonStep(at, region, emission);
          }
        }, step.at / speed),
      );
    }
    t0 = clock.now();
    const load = await runLoad({
      clock,
      target,
      targetFor,
      rps: drill.load.rps !== undefined ? drill.load.rps * speed : undefined,
      concurrency: drill.load.concurrency,
      durationMs: durationMs / speed,
      // A hung backend holds a request until the gateway or this gives up: two minutes of drill time, at least 5 s.
      timeoutMs: Math.max(5000, 120_000 / speed),
      onResult: (r) => recorder.result(r),
      onProgress: o.onProgress ? (p) => o.onProgress!({ ...p, drillMs: p.elapsedMs * speed }) : undefined,
      signal: o.signal,
    });
    if (virtual?.stalled.aborted) throw virtual.stalled.reason as Error;
    const report = buildDrillReport(drill, speed, load, recorder, durationMs);
    // The load's own elapsed time is virtual here: what it took on this machine is the wall clock's.
    return virtual ? { ...report, realDurationMs: Math.round(performance.now() - wallStart), virtualTime: true } : report;
  } finally {
    timers.forEach((t) => clock.clearTimeout(t));
    unsubscribe();
    await gateway?.close().catch(() => undefined);
    await sims.close();
  }
}
