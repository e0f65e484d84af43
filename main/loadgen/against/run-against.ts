import type { Workspace } from '../../../shared/model';
import type { Drill } from '../../../shared/simulation/drill-file';
import { bucketFor, buildDrillReport, DrillRecorder, type DrillReport } from '../drill-report';
import { runLoad, type LoadProgress } from '../run-load';
import { buildTarget, type LoadTarget } from '../target';
import type { AgainstPlan } from './quota-drive';
import { servedByEvidence, type ServedByEvidence } from './served-by';

/*
 * The drill's load sent to the deployed APIM gateway with `Ocp-Apim-Subscription-Key`, in real time (speed 1: the
 * service's breakers and quotas run on the wall clock). The report is the local drill's report; which backend
 * answered comes from evidence (served-by.ts), and trips are not observable here (APIM has no API for breaker
 * state): expectations about them are listed as not observable instead of passing or failing.
 */

export interface AgainstOptions {
  workspace: Workspace;
  drill: Drill;
  /** `https://<service>.azure-api.net` or with the API's path; without a path, the API's `path` is used. */
  url: string;
  /** The subscription key: held in memory for the run only. */
  key: string;
  plan: AgainstPlan;
  signal?: AbortSignal;
  onProgress?: (p: LoadProgress & { drillMs: number }) => void;
}

export interface ObservedReport extends DrillReport {
  target: string;
  evidence: { header: string | null; sharedRegions: Record<string, string[]>; withoutRegion: string[] };
  notObservable: string[];
}

/** Expectations a deployed run can check: client errors only. */
function observableDrill(drill: Drill): { drill: Drill; notObservable: string[] } {
  const e = drill.expect;
  const notObservable = [...(e.tripped ?? []).map((id) => `tripped ${id}`), ...(e.notTripped ?? []).map((id) => `notTripped ${id}`), ...(e.maxTimeToTrip !== undefined ? ['maxTimeToTrip'] : [])];
  return { drill: { ...drill, expect: e.clientErrors !== undefined ? { clientErrors: e.clientErrors } : {} }, notObservable };
}

export function deployedTarget(ws: Workspace, drill: Drill, url: string, key: string, evidence: ServedByEvidence): LoadTarget {
  const apiId = drill.load.api ?? Object.keys(ws.apis ?? {})[0]!;
  const base = buildTarget({ url, api: ws.apis?.[apiId]?.path, deployment: drill.load.deployment, kind: drill.load.kind, stream: drill.load.stream, maxTokens: drill.load.maxTokens });
  return { ...base, headers: { ...base.headers, 'ocp-apim-subscription-key': key }, servedBy: evidence.pick };
}

export async function runAgainst(o: AgainstOptions): Promise<ObservedReport> {
  const { drill, workspace } = o;
  const apiId = drill.load.api ?? Object.keys(workspace.apis ?? {})[0]!;
  const evidence = servedByEvidence(workspace, apiId);
  const target = deployedTarget(workspace, drill, o.url, o.key, evidence);
  const recorder = new DrillRecorder(1, bucketFor(drill.load.duration), Date.now());
  const timers: ReturnType<typeof setTimeout>[] = [];
  const bursts: Promise<unknown>[] = [];
  const t0 = performance.now();
  for (const b of o.plan.bursts) {
    timers.push(
      setTimeout(() => {
        recorder.fault(performance.now() - t0, b.backend, { type: 'throttle', retryAfter: 0 });
        bursts.push(runLoad({ target, rps: b.rps, durationMs: b.untilMs - b.atMs, timeoutMs: 120_000, onResult: (r) => recorder.result({ ...r, sentAt: r.sentAt + b.atMs }), signal: o.signal }));
      }, b.atMs),
    );
  }
  try {
    const load = await runLoad({
      target,
      rps: drill.load.rps,
      concurrency: drill.load.concurrency,
      durationMs: drill.load.duration,
      timeoutMs: 120_000,
      onResult: (r) => recorder.result(r),
      onProgress: o.onProgress ? (p) => o.onProgress!({ ...p, drillMs: p.elapsedMs }) : undefined,
      signal: o.signal,
    });
    await Promise.all(bursts);
    const { drill: checked, notObservable } = observableDrill(drill);
    const report = buildDrillReport(checked, 1, load, recorder, drill.load.duration);
    return {
      ...report,
      target: new URL(target.url).origin,
      evidence: { header: evidence.header ?? null, sharedRegions: evidence.sharedRegions, withoutRegion: evidence.withoutRegion },
      notObservable,
    };
  } finally {
    timers.forEach(clearTimeout);
  }
}
