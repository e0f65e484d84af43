import type { Workspace } from '../../../shared/model';
import type { Drill } from '../../../shared/simulation/drill-file';
import { estimateChatPromptTokens } from '../../../shared/simulation/tokens';
import { DEFAULT_MAX_TOKENS, DEFAULT_PROMPT } from '../target';
import type { Issue } from '../../../shared/model';

/*
 * Faults are not ours to inject into a deployed service: a drill against it may only name loads. With
 * --drive-quota, a `throttle` step becomes "drive this backend past its quota": extra load from the step until its
 * `clear` (or the end), sized so the backend's share of it exceeds its tokens per minute by a fifth. The estimate
 * (requests and tokens) is shown before anything is sent.
 */

export interface QuotaBurst {
  backend: string;
  atMs: number;
  untilMs: number;
  /** Extra requests per second on top of the drill's load. */
  rps: number;
  requests: number;
  tokens: number;
}

export interface AgainstPlan {
  bursts: QuotaBurst[];
  /** The drill's own load: requests and tokens. */
  base: { requests: number; tokens: number };
  tokensPerRequest: number;
}

export const tokensPerRequest = (drill: Drill) => estimateChatPromptTokens([{ role: 'user', content: DEFAULT_PROMPT }]) + (drill.load.maxTokens ?? DEFAULT_MAX_TOKENS);

/** The weight share a backend gets in the API's pool when every member is healthy (its lane only). */
function shareOf(ws: Workspace, apiId: string, backend: string): number {
  const api = ws.apis?.[apiId];
  const pool = api ? ws.pools?.[api.backend] : undefined;
  if (!pool) return api?.backend === backend ? 1 : 0;
  const me = pool.services.find((m) => m.backend === backend);
  if (!me) return 0;
  const lane = pool.services.filter((m) => (m.priority ?? 0) === (me.priority ?? 0));
  const total = lane.reduce((n, m) => n + (m.weight ?? 1), 0);
  const top = Math.min(...pool.services.map((m) => m.priority ?? 0));
  return (me.priority ?? 0) === top && total > 0 ? (me.weight ?? 1) / total : 0;
}

/** Checks the timeline for a deployed run; returns the plan or the steps it refuses. */
export function planAgainst(ws: Workspace, drill: Drill, driveQuota: boolean): { ok: true; plan: AgainstPlan } | { ok: false; errors: Issue[] } {
  const apiId = drill.load.api ?? Object.keys(ws.apis ?? {})[0]!;
  const tpr = tokensPerRequest(drill);
  const baseRps = drill.load.rps ?? 0;
  const errors: Issue[] = [];
  const bursts: QuotaBurst[] = [];
  drill.timeline.forEach((s, i) => {
    if (s.clear) return;
    // APIM reads each region's carbon emission from Azure: a drill cannot change it there (F-ROUTE-7).
    if (s.carbon) return void errors.push({ path: `timeline[${i}].carbon`, message: 'a deployed service reads carbon emission from Azure; a drill cannot set it there: remove the step' });
    const f = s.fault!;
    if (!driveQuota) {
      errors.push({ path: `timeline[${i}].fault`, message: `faults cannot be injected into a deployed service; remove the step, or pass --drive-quota to turn a throttle into load past ${f.backend}'s quota` });
      return;
    }
    if (f.fault.type !== 'throttle') {
      errors.push({ path: `timeline[${i}].fault.type`, message: `${f.fault.type} cannot be caused on a deployed service; only throttle (by driving ${f.backend} past its quota) can` });
      return;
    }
    const b = ws.backends[f.backend]!;
    const tpm = b.capacity?.tokensPerMinute ?? ws.simulation?.[f.backend]?.tokensPerMinute;
    const share = shareOf(ws, apiId, f.backend);
    if (!tpm) return void errors.push({ path: `timeline[${i}].fault.backend`, message: `${f.backend} has no tokensPerMinute (backends.${f.backend}.capacity or simulation.${f.backend}) to size the load from` });
    if (share === 0) return void errors.push({ path: `timeline[${i}].fault.backend`, message: `${f.backend} takes no share of ${apiId}'s traffic while all are healthy: load cannot reach it` });
    const clear = drill.timeline.slice(i + 1).find((x) => x.clear?.backend === f.backend);
    const untilMs = Math.min(clear?.at ?? drill.load.duration, drill.load.duration);
    const neededRps = (1.2 * tpm) / 60 / tpr / share;
    const rps = Math.max(1, Math.ceil(neededRps - baseRps));
    const requests = Math.ceil((rps * Math.max(0, untilMs - s.at)) / 1000);
    bursts.push({ backend: f.backend, atMs: s.at, untilMs, rps, requests, tokens: requests * tpr });
  });
  if (errors.length > 0) return { ok: false, errors };
  const baseRequests = drill.load.rps !== undefined ? Math.ceil((drill.load.rps * drill.load.duration) / 1000) : 0;
  return { ok: true, plan: { bursts, base: { requests: baseRequests, tokens: baseRequests * tpr }, tokensPerRequest: tpr } };
}

/** The cost estimate in words, printed before anything is sent. */
export function describeEstimate(p: AgainstPlan, drill: Drill): string[] {
  const out = [`this sends about ${p.base.requests + p.bursts.reduce((n, b) => n + b.requests, 0)} requests (${drill.load.rps === undefined ? 'closed loop: count depends on latency; ' : ''}≈ ${p.tokensPerRequest} tokens each) to the deployed service:`];
  out.push(`  the drill's load: ${p.base.requests} requests, ≈ ${p.base.tokens} tokens`);
  for (const b of p.bursts) out.push(`  drive ${b.backend} past its quota: +${b.rps} req/s from ${b.atMs / 1000} s to ${b.untilMs / 1000} s = ${b.requests} requests, ≈ ${b.tokens} tokens`);
  out.push('  billed at your deployments\' per-token prices (pay-as-you-go) or against your provisioned capacity (PTU)');
  return out;
}
