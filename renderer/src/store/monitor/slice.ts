import type { Api, GatewayRun } from '../../../../shared/contract';
import type { DrillStart, LoadJob, LoadJobDone, LoadProgressEvent, LoadService, LoadStart } from '../../../../shared/contract/load';
import { GATEWAY_EVENT_TYPES, type GatewayEvent, type GatewaySnapshot, type GatewayStatus } from '../../../../shared/monitor';
import type { RegionEmission } from '../../../../shared/model/schema';
import type { FaultSpec } from '../../../../shared/simulation/faults';
import type { StoreEnv } from '../types';
import { FRAME_CAPACITY, MonitorBuffers } from './monitor-buffers';
import type { EventFilter, PoolMemberConfig } from './selectors';
import { defaultSimulateForm, patchForm, type SimulateForm, type SimulateFormPatch } from './simulate-form';

/*
 * The Monitor and Simulate screens' store: low-frequency state here (window, run, configuration, faults, load jobs,
 * filters), the per-second data in `monitorBuffers` (a stable object with its own subscription). Following starts
 * on first use and stays on, so the data is there when switching screens; a new gateway process starts it over.
 */
export const WINDOWS = [1, 5, 15] as const;
export type WindowMinutes = (typeof WINDOWS)[number];

export interface MonitorConfig {
  backends: string[];
  urls: Record<string, string>;
  pools: Record<string, PoolMemberConfig[]>;
  /** api id → its path (`openai`, `v1`): what the SDK snippet points at. */
  apis: Record<string, string>;
  warnings: string[];
  /** Region → the carbon emission the gateway routes by now (F-ROUTE-8), from the workspace or set while running. */
  carbonEmission?: Record<string, string>;
  /** The regions the backends name in `azureRegion`, as written. */
  regions?: string[];
}

export interface LoadState {
  job: LoadJob | null;
  progress: LoadProgressEvent | null;
  /** The last finished load and drill, each kept until the next one ends. */
  lastLoad: LoadJobDone | null;
  lastDrill: LoadJobDone | null;
}

export interface MonitorView {
  following: boolean;
  windowMinutes: WindowMinutes;
  run: GatewayRun;
  config: MonitorConfig | null;
  /** Faults switched on from here (the simulator's answer to each switch); reset when the gateway starts. */
  faults: Record<string, FaultSpec | null>;
  logFilter: EventFilter;
  /** What is being done now ("start", "fault aoai-eastus", ...), for disabling buttons. */
  busy: string | null;
  error: string | null;
  load: LoadState;
}

export interface MonitorSlice {
  monitor: MonitorView;
  monitorBuffers: MonitorBuffers;
  /** The Simulate screen's inputs per workspace (`formKey`): kept across screens. */
  simulateForms: Record<string, SimulateForm>;
  setSimulateForm(key: string, patch: SimulateFormPatch): void;
  /** Subscribes to the gateway's run state, snapshots, events and load jobs; idempotent. */
  followMonitor(): Promise<void>;
  setMonitorWindow(minutes: WindowMinutes): void;
  setLogFilter(filter: Partial<EventFilter>): void;
  startGateway(simulate: boolean): Promise<void>;
  stopGateway(): Promise<void>;
  resetBreaker(backend: string): Promise<void>;
  setFault(backend: string, fault: FaultSpec): Promise<void>;
  clearFault(backend: string): Promise<void>;
  /** A region's carbon emission on the running gateway; null = the workspace's value again. */
  setCarbonEmission(region: string, emission: RegionEmission | null): Promise<void>;
  startLoad(input: LoadStart): Promise<void>;
  cancelLoad(): Promise<void>;
  runDrill(input: DrillStart): Promise<void>;
  dismissMonitorError(): void;
}

/** The api as this slice uses it; `load` is optional so the slice works against a main side without it. */
export type MonitorApi = Pick<Api, 'gateway' | 'simulator'> & { load?: LoadService };

export interface MonitorContext {
  set(partial: Partial<MonitorSlice> | ((s: MonitorSlice) => Partial<MonitorSlice>)): void;
  get(): MonitorSlice;
  api: MonitorApi;
  env: Pick<StoreEnv, 'now'> & { schedule?: (flush: () => void) => void };
}

const STOPPED: GatewayRun = { running: false, url: null, simulate: false, startedAt: null };

export const monitorInitialState = (): MonitorView => ({
  following: false,
  windowMinutes: 1,
  run: STOPPED,
  config: null,
  faults: {},
  logFilter: { backend: null, types: [...GATEWAY_EVENT_TYPES] },
  busy: null,
  error: null,
  load: { job: null, progress: null, lastLoad: null, lastDrill: null },
});

const emissionsOf = (c: Record<string, { emission: string }> = {}): Record<string, string> => Object.fromEntries(Object.entries(c).map(([region, v]) => [region, v.emission]));

export function configOf(status: GatewayStatus): MonitorConfig {
  return {
    backends: Object.keys(status.backends),
    urls: Object.fromEntries(Object.entries(status.backends).map(([id, b]) => [id, b.url])),
    pools: Object.fromEntries(Object.entries(status.pools).map(([id, p]) => [id, p.members.map(({ backend, priority, weight }) => ({ backend, priority, weight }))])),
    apis: Object.fromEntries(Object.entries(status.apis).map(([id, a]) => [id, a.path])),
    warnings: status.warnings,
    carbonEmission: emissionsOf(status.carbonEmission),
    regions: Object.keys(status.regions ?? {}).sort(),
  };
}

export function createMonitorSlice(ctx: MonitorContext): MonitorSlice {
  const patch = (p: Partial<MonitorView>) => ctx.set((s) => ({ monitor: { ...s.monitor, ...p } }));
  const patchLoad = (p: Partial<LoadState>) => ctx.set((s) => ({ monitor: { ...s.monitor, load: { ...s.monitor.load, ...p } } }));
  const buffers = new MonitorBuffers(FRAME_CAPACITY, ctx.env.schedule, ctx.env.now);

  /** Reads the configuration and breaker states once: at start and after a reload, never on a timer. */
  async function readStatus(): Promise<void> {
    const s = await ctx.api.gateway.status();
    if (s.status) {
      buffers.applyStatus(s.status);
      patch({ config: configOf(s.status) });
    }
  }

  /** Runs one user action: marks it busy, shows its error, never throws into a click handler. */
  async function act(label: string, work: () => Promise<void>): Promise<void> {
    patch({ busy: label, error: null });
    try {
      await work();
    } catch (e) {
      patch({ error: (e as Error).message });
    } finally {
      patch({ busy: null });
    }
  }

  /** A short job can end (its `done` event) before the call that started it answers: then it is not running. */
  function keepUnlessDone(job: LoadJob): void {
    const { lastLoad, lastDrill } = ctx.get().monitor.load;
    if (Math.max(lastLoad?.id ?? 0, lastDrill?.id ?? 0) < job.id) patchLoad({ job, progress: null });
  }

  /** Live pushes that arrive while the history is being fetched wait here, so nothing is drawn twice or out of order. */
  let pending: ({ snapshot: GatewaySnapshot } | { event: GatewayEvent })[] | null = null;
  const onSnapshot = (s: GatewaySnapshot) => {
    if (pending) pending.push({ snapshot: s });
    else if (!(s.t <= (buffers.frames.last()?.t ?? -Infinity))) buffers.addSnapshot(s, true); // each second once
  };
  const onEvent = (e: GatewayEvent) => (pending ? pending.push({ event: e }) : buffers.addEvent(e));

  /**
   * A screen that opens (or reloads) while the gateway runs draws what it missed: all the gateway keeps (15 minutes of
   * snapshots and their events), whatever window is shown, so switching to a longer window has its data too.
   */
  async function loadHistory(startedAt: string | null): Promise<void> {
    const queued: NonNullable<typeof pending> = [];
    pending = queued;
    let lastT = -Infinity;
    const seen = new Set<string>();
    try {
      const h = await ctx.api.gateway.history({ seconds: FRAME_CAPACITY });
      if (ctx.get().monitor.run.startedAt !== startedAt) return;
      let i = 0;
      for (const s of h.snapshots) {
        while (i < h.events.length && Date.parse(h.events[i]!.at) < s.t + 1000) buffers.addEvent(h.events[i++]!);
        buffers.addSnapshot(s);
        lastT = s.t;
      }
      for (; i < h.events.length; i++) buffers.addEvent(h.events[i]!);
      for (const e of h.events) seen.add(JSON.stringify(e));
    } catch {
      // Without history the screen simply starts from now.
    } finally {
      if (pending === queued) pending = null;
      for (const p of queued) {
        if ('snapshot' in p) {
          if (p.snapshot.t > lastT) buffers.addSnapshot(p.snapshot, true);
        } else if (!seen.has(JSON.stringify(p.event))) buffers.addEvent(p.event);
      }
    }
  }

  /** Faults can be switched by others (a live drill, the CLI): read them when a drill moves on or a run starts. */
  async function refreshFaults(): Promise<void> {
    if (!ctx.get().monitor.run.simulate) return;
    patch({ faults: (await ctx.api.simulator.faults()).faults });
  }

  function onRun(run: GatewayRun): void {
    const prev = ctx.get().monitor.run;
    if (run.running && run.startedAt !== prev.startedAt) {
      buffers.clear();
      patch({ run, faults: {} });
      void readStatus().catch(() => undefined);
      void loadHistory(run.startedAt);
      void refreshFaults().catch(() => undefined);
    } else patch({ run });
  }

  return {
    monitor: monitorInitialState(),
    monitorBuffers: buffers,
    simulateForms: {},
    setSimulateForm(key, patch) {
      ctx.set((s) => ({ simulateForms: { ...s.simulateForms, [key]: patchForm(s.simulateForms[key] ?? defaultSimulateForm(), patch) } }));
    },
    async followMonitor() {
      if (ctx.get().monitor.following) return;
      patch({ following: true });
      const { gateway, load } = ctx.api;
      gateway.onRunning(onRun);
      gateway.onSnapshot(onSnapshot);
      gateway.onEvent((e) => {
        onEvent(e);
        if (e.type === 'config' && e.ok) void readStatus().catch(() => undefined);
      });
      load?.onProgress((p) => {
        patchLoad({ progress: p });
        if (ctx.get().monitor.load.job?.kind === 'drill') void refreshFaults().catch(() => undefined);
      });
      load?.onDone((d) => {
        patchLoad(d.kind === 'load' ? { job: null, progress: null, lastLoad: d } : { job: null, progress: null, lastDrill: d });
        if (d.kind === 'drill') void refreshFaults().catch(() => undefined);
      });
      const s = await gateway.status();
      onRun({ running: s.running, url: s.url, simulate: s.simulate, startedAt: s.startedAt });
      if (load) {
        // A job already running (started in another tab): its last progress too, not "starting…".
        const { job, progress } = await load.current();
        if (ctx.get().monitor.load.job === null) patchLoad({ job, progress: ctx.get().monitor.load.progress ?? progress ?? null });
      }
    },
    setMonitorWindow(minutes) {
      patch({ windowMinutes: minutes });
    },
    setLogFilter(filter) {
      patch({ logFilter: { ...ctx.get().monitor.logFilter, ...filter } });
    },
    startGateway: (simulate) => act('start', async () => void onRun(await ctx.api.gateway.start({ simulate }))),
    stopGateway: () => act('stop', async () => void onRun(await ctx.api.gateway.stop())),
    resetBreaker: (backend) => act(`reset ${backend}`, async () => void (await ctx.api.gateway.resetBreaker({ backend }))),
    setFault: (backend, fault) => act(`fault ${backend}`, async () => patch({ faults: (await ctx.api.simulator.setFault({ backend, fault })).faults })),
    clearFault: (backend) => act(`fault ${backend}`, async () => patch({ faults: (await ctx.api.simulator.clearFault({ backend })).faults })),
    setCarbonEmission: (region, emission) =>
      act(`carbon ${region}`, async () => {
        const { carbonEmission } = await ctx.api.gateway.setCarbonEmission({ region, emission });
        const config = ctx.get().monitor.config;
        if (config) patch({ config: { ...config, carbonEmission: emissionsOf(carbonEmission) } });
      }),
    startLoad: (input) =>
      act('load', async () => {
        if (!ctx.api.load) throw new Error('this build has no load generator service');
        keepUnlessDone(await ctx.api.load.start(input));
      }),
    cancelLoad: () => act('cancel', async () => void (await ctx.api.load?.cancel())),
    runDrill: (input) =>
      act('drill', async () => {
        if (!ctx.api.load) throw new Error('this build has no drill service');
        patchLoad({ lastDrill: null });
        keepUnlessDone(await ctx.api.load.runDrill(input));
      }),
    dismissMonitorError: () => patch({ error: null }),
  };
}
