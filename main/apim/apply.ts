import { describeStep, secretValues, type ApplyEvent, type ApplyResult, type Plan, type ResourceChange, type StepRef } from '../../shared/deploy';
import { secretEnvName } from '../../shared/model';
import type { SecretSource } from '../secrets/secret-source';
import type { ApimTarget, ArmConnection } from './client';
import { ApimError } from './errors';
import { intendedState } from './intended';
import { SecretFilter } from './redact';
import { deleteResource, holds, readSnapshot, whatOf, writeResource, type Snapshot } from './resource-ops';
import { rollback, settle, type Touched } from './rollback';

/*
 * Applies a plan step by step. Before each write the resource is read once: it is the rollback snapshot, the
 * base the workspace's fields are overlaid on, and its ETag (equal to the plan's, else the apply stops) is the
 * write's If-Match. A write that fails is judged by what the service then holds, not by the error: an answer
 * lost after the write landed is a landed write (F-DEPLOY-2). Any real failure puts back what changed
 * (rollback.ts) and the result says, from a final read of every touched resource, what the service holds.
 */

export interface ApplyOptions {
  secrets: SecretSource;
  onEvent?: (e: ApplyEvent) => void;
  /** Waits on 429 beyond the SDK's own retries (injectable for tests). */
  sleep?: (ms: number) => Promise<void>;
  /** How many times one request may be throttled before the apply gives up (default 10). */
  maxThrottleWaits?: number;
  /** Upper bound for one Retry-After wait, seconds (default 300). */
  maxWaitSeconds?: number;
  /** The endpoint apply sends to (the plan's must equal it); default: the connection's. */
  endpoint?: string;
}

const ref = (c: ResourceChange): StepRef => ({ kind: c.kind, id: c.id, action: c.action });
const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const sameText = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const sameEndpoint = (a: string, b: string) => sameText(a.replace(/\/+$/, ''), b.replace(/\/+$/, ''));

/** A plan file must not send the token (or secrets) anywhere but where apply itself would go. */
export function checkPlanTarget(plan: Plan, t: ApimTarget, endpoint: string): void {
  const pairs: [string, string, string, (a: string, b: string) => boolean][] = [
    ['endpoint', plan.target.endpoint, endpoint, sameEndpoint],
    ['subscription', plan.target.subscription, t.subscription, sameText],
    ['resource group', plan.target.resourceGroup, t.resourceGroup, sameText],
    ['service', plan.target.service, t.service, sameText],
  ];
  const off = pairs.filter(([, a, b, eq]) => !eq(a, b));
  if (off.length > 0) {
    throw new ApimError(`the plan is for another target: ${off.map(([what, a, b]) => `${what} ${a} in the plan, ${b} for this apply`).join('; ')}. Nothing was sent; make the plan again for this target`, 'input');
  }
}

/** The snapshot must match what the plan saw: otherwise someone changed the resource since. */
function checkUnchangedSincePlan(t: ApimTarget, step: ResourceChange, now: Snapshot): void {
  if (step.action === 'create' && now.exists) {
    throw new ApimError(`${whatOf(t, step)} was created by someone else since the plan; nothing more was written. Run plan again and review`, 'precondition', 412);
  }
  if (step.action !== 'create' && (!now.exists || now.etag !== step.etag)) {
    throw new ApimError(`${whatOf(t, step)} was changed by someone else since the plan (ETag mismatch, 412); nothing more was written. Run plan again and review`, 'precondition', 412);
  }
}

export async function applyPlan(conn: ArmConnection, t: ApimTarget, plan: Plan, opts: ApplyOptions): Promise<ApplyResult> {
  checkPlanTarget(plan, t, opts.endpoint ?? conn.endpoint);
  if (plan.blockers.length > 0) throw new ApimError(`the plan cannot be applied:\n${plan.blockers.map((b) => `  ${b}`).join('\n')}`, 'input');
  // Messages are built without secret values; this filter also hides any the service might echo back.
  const filter = new SecretFilter();
  const emit = (e: ApplyEvent) => opts.onEvent?.('message' in e && e.message !== undefined ? { ...e, message: filter.apply(e.message) } : e);
  const sleep = opts.sleep ?? defaultSleep;
  const steps = plan.changes.filter((c) => c.action !== 'unchanged');
  const values = new Map<string, string>();
  for (const s of steps) {
    if (s.kind !== 'namedValue' || s.action === 'delete') continue;
    const v = opts.secrets.get(s.secretName ?? s.id);
    if (v === undefined) throw new ApimError(`secret '${s.secretName ?? s.id}' is not available locally: set ${secretEnvName(s.secretName ?? s.id)}; nothing was written`, 'input');
    values.set(s.id, v);
    filter.add(v);
  }

  const throttled = async <T>(step: StepRef, fn: () => Promise<T>): Promise<T> => {
    for (let i = 0; ; i++) {
      try {
        return await fn();
      } catch (e) {
        if (!(e instanceof ApimError) || e.code !== 'throttled' || i >= (opts.maxThrottleWaits ?? 10)) throw e;
        const wait = Math.min(e.retryAfter ?? 5, opts.maxWaitSeconds ?? 300);
        emit({ type: 'throttled', step, waitSeconds: wait });
        await sleep(wait * 1000);
      }
    }
  };
  const read = async (s: StepRef): Promise<Snapshot> => {
    const snap = await throttled(s, () => readSnapshot(conn, t, s));
    filter.add(snap.value);
    for (const v of secretValues(s.kind === 'backend' || s.kind === 'pool' ? snap.body : undefined)) filter.add(v);
    return snap;
  };

  emit({ type: 'start', total: steps.length });
  const touched: Touched[] = [];
  for (const [i, step] of steps.entries()) {
    const s = ref(step);
    emit({ type: 'step', index: i + 1, total: steps.length, step: s, status: 'running' });
    let failure: ApimError | undefined;
    try {
      const before = await read(s);
      checkUnchangedSincePlan(t, step, before);
      const intended = intendedState(step, before, values.get(step.id));
      const entry: Touched = { step: s, before, intended };
      touched.push(entry);
      try {
        if (step.action === 'delete') await throttled(s, () => deleteResource(conn, t, step, before.etag ?? '*'));
        else await throttled(s, () => writeResource(conn, t, step, intended.body ?? {}, before.exists ? before.etag : undefined, intended.value));
      } catch (e) {
        // The answer may have been lost after the write landed (the SDK's resend then meets 412): ask the service.
        const now = await read(s).catch(() => undefined);
        if (!now || !holds(step.kind, now, intended)) throw e;
        emit({ type: 'step', index: i + 1, total: steps.length, step: s, status: 'done', message: `${describeStep(s)}: the answer was lost, but the service holds the change` });
        continue;
      }
      emit({ type: 'step', index: i + 1, total: steps.length, step: s, status: 'done' });
    } catch (e) {
      const raw = e instanceof ApimError ? e : new ApimError((e as Error).message, 'service', undefined, true);
      failure = new ApimError(filter.apply(raw.message), raw.code, raw.status, raw.ambiguous, raw.retryAfter);
    }
    if (!failure) continue;
    emit({ type: 'step', index: i + 1, total: steps.length, step: s, status: 'failed', message: failure.message });
    const reports = (await rollback(conn, t, touched, read, throttled, emit)).map((r) => ({ ...r, message: filter.apply(r.message) }));
    const end = await settle(touched, read);
    const differing = end.differing.map((d) => ({ ...d, message: filter.apply(d.message) }));
    const undone = reports.filter((r) => r.status === 'restored').map((r) => `  ${r.message}`);
    const message = [
      `apply stopped at step ${i + 1} of ${steps.length} (${describeStep(s)}): ${failure.message}`,
      undone.length > 0 ? `rolled back:\n${undone.join('\n')}` : end.wrote ? 'nothing was rolled back.' : 'nothing had been changed.',
      end.final === 'restored'
        ? `restored: ${t.service} holds what it held before the apply (read again to check).`
        : `only partly restored: these resources of ${t.service} differ from before the apply (check them in the portal):\n${differing.map((d) => `  ${d.message}`).join('\n')}`,
    ].join('\n');
    emit({ type: 'finish', ok: false, message });
    return {
      ok: false,
      final: end.final,
      differing,
      applied: touched.filter((x) => x.landed !== false).map((x) => x.step),
      failed: { step: s, message: failure.message },
      rollback: reports,
      restored: end.final === 'restored',
      message,
    };
  }
  const message = steps.length === 0 ? `no changes: ${t.service} already matches the workspace` : `applied ${steps.length} change${steps.length === 1 ? '' : 's'} to ${t.service}`;
  emit({ type: 'finish', ok: true, message });
  return { ok: true, final: 'applied', differing: [], applied: touched.map((d) => d.step), rollback: [], restored: true, message };
}
