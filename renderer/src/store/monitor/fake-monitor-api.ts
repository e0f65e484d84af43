import { regionKey } from '../../../../shared/semantics/carbon';
import type { GatewayRun } from '../../../../shared/contract';
import type { DrillStart, LoadJob, LoadJobDone, LoadProgressEvent, LoadService, LoadStart } from '../../../../shared/contract/load';
import type { GatewayEvent, GatewaySnapshot, GatewayStatus } from '../../../../shared/monitor';
import type { FaultSpec } from '../../../../shared/simulation/faults';
import { createFakeApi, type FakeApi } from '../testing/fake-api';

/*
 * The gateway, simulator and load services as the Monitor sees them, driven by the test: fire run changes,
 * snapshots, events and job ends; read back the calls the UI made. No network, no timers.
 */
export interface FakeMonitorApi extends FakeApi {
  load: LoadService;
  calls: { method: string; input?: unknown }[];
  push: {
    running(run: GatewayRun): void;
    snapshot(s: GatewaySnapshot): void;
    event(e: GatewayEvent): void;
    progress(p: LoadProgressEvent): void;
    done(d: LoadJobDone): void;
  };
  setStatus(status: GatewayStatus): void;
  /** What `gateway.history` answers (the gateway's memory of the last minutes). */
  setHistory(history: { snapshots: GatewaySnapshot[]; events: GatewayEvent[] }): void;
  /** What `load.current` answers (a job started elsewhere). */
  setCurrent(current: { job: LoadJob | null; progress?: LoadProgressEvent | null }): void;
}

function hub<T>() {
  const ls = new Set<(v: T) => void>();
  return {
    on: (l: (v: T) => void) => {
      ls.add(l);
      return () => void ls.delete(l);
    },
    emit: (v: T) => ls.forEach((l) => l(v)),
  };
}

export const DEMO_IDS = ['aoai-eastus', 'aoai-uksouth'] as const;

export function demoStatus(at = '2026-11-25T10:00:00.000Z'): GatewayStatus {
  const backend = (url: string) => ({
    state: 'closed' as const,
    openUntil: null,
    reason: null,
    url,
    rule: 'rule',
    requests: 0,
    failures: 0,
    byStatus: {},
    failuresByReason: {},
    latencyMs: { p50: null, p90: null, p99: null },
    tokens: { prompt: 0, completion: 0 },
    inFlight: 0,
    breakerWindow: { failures: 0, total: 0 },
    total: { requests: 0, failures: 0 },
  });
  return {
    startedAt: at,
    at,
    windowSeconds: 900,
    backends: { 'aoai-eastus': backend('http://127.0.0.1:9001/openai'), 'aoai-uksouth': backend('http://127.0.0.1:9002/openai') },
    pools: {
      mybackendpool: {
        members: [
          { backend: 'aoai-eastus', priority: 1, weight: 10, state: 'closed' },
          { backend: 'aoai-uksouth', priority: 1, weight: 1, state: 'closed' },
        ],
      },
    },
    apis: { 'azure-openai': { path: 'openai', backend: 'mybackendpool', retry: { count: 1, on: [429, 503] } } },
    gatewayErrors: {},
    warnings: [],
  };
}

/** A snapshot at epoch ms `t`: per backend `[requests, 2xx, 429s, state]`. */
export function snapshotAt(t: number, per: Record<string, [number, number, number, 'open' | 'closed']>): GatewaySnapshot {
  return {
    at: new Date(t).toISOString(),
    t,
    backends: Object.fromEntries(
      Object.entries(per).map(([id, [rq, ok, s429, state]]) => [
        id,
        {
          state,
          requests: rq,
          failures: s429,
          byStatus: { ...(ok ? { '200': ok } : {}), ...(s429 ? { '429': s429 } : {}) } as Record<string, number>,
          failuresByReason: (s429 ? { status: s429 } : {}) as Record<string, number>,
          latencyMs: rq ? { p50: 400, p90: 900, p99: 1400 } : { p50: null, p90: null, p99: null },
          tokens: { prompt: ok * 10, completion: ok * 10 },
          inFlight: 0,
        },
      ]),
    ),
    gatewayErrors: {},
  };
}

export function createFakeMonitorApi(): FakeMonitorApi {
  const base = createFakeApi();
  const runs = hub<GatewayRun>();
  const snaps = hub<GatewaySnapshot>();
  const events = hub<GatewayEvent>();
  const progress = hub<LoadProgressEvent>();
  const done = hub<LoadJobDone>();
  const calls: FakeMonitorApi['calls'] = [];
  let run: GatewayRun = { running: false, url: null, simulate: false, startedAt: null };
  let status = demoStatus();
  let current: { job: LoadJob | null; progress?: LoadProgressEvent | null } = { job: null };
  let history: { snapshots: GatewaySnapshot[]; events: GatewayEvent[] } = { snapshots: [], events: [] };
  let nextJob = 1;
  const faults: Record<string, FaultSpec | null> = {};
  const setRun = (r: GatewayRun) => {
    run = r;
    runs.emit(r);
    return r;
  };
  const job = (kind: 'load' | 'drill', totalMs: number) => ({ id: nextJob++, kind, startedAt: '2026-11-25T10:00:00.000Z', totalMs });

  return {
    ...base,
    gateway: {
      start: async ({ simulate }) => {
        calls.push({ method: 'gateway.start', input: { simulate } });
        return setRun({ running: true, url: 'http://127.0.0.1:8080', simulate, startedAt: new Date(Date.now() + nextJob++).toISOString() });
      },
      stop: async () => setRun({ running: false, url: null, simulate: false, startedAt: null }),
      status: async () => ({ ...run, status: run.running ? status : null }),
      resetBreaker: async (input) => {
        calls.push({ method: 'gateway.resetBreaker', input });
        return { reset: true };
      },
      setCarbonEmission: async (input) => {
        calls.push({ method: 'gateway.setCarbonEmission', input });
        const carbonEmission = { ...status.carbonEmission };
        // Keyed as the real gateway keys regions: `West Europe` is `westeurope`.
        if (input.emission === null) delete carbonEmission[regionKey(input.region)];
        else carbonEmission[regionKey(input.region)] = { emission: input.emission, source: 'set' };
        status = { ...status, carbonEmission };
        return { carbonEmission };
      },
      history: async (input) => {
        calls.push({ method: 'gateway.history', input });
        return history;
      },
      onEvent: events.on,
      onSnapshot: snaps.on,
      onRunning: runs.on,
    },
    simulator: {
      setFault: async (input) => {
        calls.push({ method: 'simulator.setFault', input });
        faults[input.backend] = input.fault;
        return { faults: { ...faults } };
      },
      clearFault: async (input) => {
        calls.push({ method: 'simulator.clearFault', input });
        faults[input.backend] = null;
        return { faults: { ...faults } };
      },
      faults: async () => ({ faults: { ...faults } }),
    },
    load: {
      start: async (input: LoadStart) => {
        calls.push({ method: 'load.start', input });
        return job('load', input.durationSeconds * 1000);
      },
      runDrill: async (input: DrillStart) => {
        calls.push({ method: 'load.runDrill', input });
        return job('drill', 9000);
      },
      cancel: async () => {
        calls.push({ method: 'load.cancel' });
        return { cancelled: true };
      },
      current: async () => current,
      onProgress: progress.on,
      onDone: done.on,
    },
    calls,
    push: { running: (r) => void setRun(r), snapshot: snaps.emit, event: events.emit, progress: progress.emit, done: done.emit },
    setStatus: (s) => (status = s),
    setHistory: (h) => (history = h),
    setCurrent: (c) => (current = c),
  };
}
