import type { RegionEmission, Workspace } from '../../shared/model';
import type { Drill } from '../../shared/simulation/drill-file';
import type { SimulationControl } from '../../shared/simulation/faults';
import type { SimulatorHandle, SimulatorOptions } from '../simulator';
import { bucketFor, buildDrillReport, DrillRecorder, type DrillReport, type GatewayEventLike } from './drill-report';
import { tenantTargets } from './drill-tenants';
import { runLoad, type LoadProgress } from './run-load';
import { buildTarget } from './target';

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
}

/**
 * Starts the simulated backends and a gateway in front of them, runs the load, switches faults (and regions' carbon
 * emission) at their times, and reports. Everything it started is closed again, whatever happens.
 */
export async function runDrill(o: DrillOptions): Promise<DrillReport> {
  const { drill, workspace } = o;
  const speed = o.speed ?? drill.speed;
  const sims = await o.startSimulators(workspace, { speed, ...(drill.seed !== undefined ? { seed: drill.seed } : {}) });
  let gateway: DrillGateway | undefined;
  const timers: ReturnType<typeof setTimeout>[] = [];
  let unsubscribe: () => void = () => undefined;
  try {
    const backendUrls = Object.fromEntries(Object.entries(sims.backends).map(([id, b]) => [id, b.url]));
    // Simulated backends take any key: a stand-in value keeps "secret not available" warnings out of the report.
    const secrets = { get: () => 'simulated' };
    gateway = await o.startGateway({ workspace, host: '127.0.0.1', port: 0, backendUrls, simulation: sims, speed, secrets });
    if (drill.timeline.some((s) => s.carbon) && !gateway.setCarbonEmission) throw new Error('this gateway cannot switch carbon emission: the drill has carbon steps');
    const apiId = drill.load.api ?? Object.keys(workspace.apis ?? {})[0]!;
    const api = workspace.apis![apiId]!;
    const target = buildTarget({ url: new URL(gateway.url).origin, api: api.path, deployment: drill.load.deployment, kind: drill.load.kind, stream: drill.load.stream, maxTokens: drill.load.maxTokens });
    const targetFor = drill.load.tenants ? tenantTargets(target, drill.load.tenants) : undefined;
    const durationMs = drill.load.duration;
    const recorder = new DrillRecorder(speed, bucketFor(durationMs), Date.now());
    unsubscribe = gateway.subscribe((e) => recorder.event(e));
    // The load's clock starts when runLoad is called, right after these timers are set: the recorder compares a
    // request's send and end times with the steps' times, so both are read from (nearly) the same origin.
    let t0 = performance.now();
    for (const step of drill.timeline) {
      timers.push(
        setTimeout(() => {
          const at = performance.now() - t0;
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
    t0 = performance.now();
    const load = await runLoad({
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
    return buildDrillReport(drill, speed, load, recorder, durationMs);
  } finally {
    timers.forEach(clearTimeout);
    unsubscribe();
    await gateway?.close().catch(() => undefined);
    await sims.close();
  }
}
