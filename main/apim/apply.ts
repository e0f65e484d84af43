import { describeStep, type ApplyEvent, type ApplyResult, type Plan, type ResourceChange, type StepRef } from '../../shared/deploy';
import { secretEnvName } from '../../shared/model';
import type { SecretSource } from '../secrets/secret-source';
import type { ApimTarget, ArmConnection } from './client';
import { ApimError } from './errors';
import { SecretFilter } from './redact';
import { deleteResource, readSnapshot, whatOf, writeResource } from './resource-ops';
import { rollback, type Done } from './rollback';

/*
 * Applies a plan step by step with the plan's ETags as If-Match. Before each write the resource is read once: it
 * is the rollback snapshot, and a resource changed since the plan stops the apply before anything is sent. Any
 * failure puts back everything already changed (rollback.ts) and the result says exactly what happened.
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
}

const ref = (c: ResourceChange): StepRef => ({ kind: c.kind, id: c.id, action: c.action });
const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function checkTarget(plan: Plan, t: ApimTarget): void {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (!same(plan.target.subscription, t.subscription) || !same(plan.target.resourceGroup, t.resourceGroup) || !same(plan.target.service, t.service)) {
    throw new ApimError(`the plan is for service ${plan.target.service} (resource group ${plan.target.resourceGroup}), not ${t.service} (resource group ${t.resourceGroup})`, 'input');
  }
}

/** The snapshot must match what the plan saw: otherwise someone changed the resource since. */
function checkUnchangedSincePlan(t: ApimTarget, step: ResourceChange, now: { exists: boolean; etag?: string }): void {
  if (step.action === 'create' && now.exists) {
    throw new ApimError(`${whatOf(t, step)} was created by someone else since the plan; nothing more was written. Run plan again and review`, 'precondition', 412);
  }
  if (step.action !== 'create' && (!now.exists || now.etag !== step.etag)) {
    throw new ApimError(`${whatOf(t, step)} was changed by someone else since the plan (ETag mismatch, 412); nothing more was written. Run plan again and review`, 'precondition', 412);
  }
}

export async function applyPlan(conn: ArmConnection, t: ApimTarget, plan: Plan, opts: ApplyOptions): Promise<ApplyResult> {
  checkTarget(plan, t);
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

  emit({ type: 'start', total: steps.length });
  const done: Done[] = [];
  for (const [i, step] of steps.entries()) {
    const s = ref(step);
    emit({ type: 'step', index: i + 1, total: steps.length, step: s, status: 'running' });
    let before;
    try {
      before = await throttled(s, () => readSnapshot(conn, t, step));
      filter.add(before.value);
      checkUnchangedSincePlan(t, step, before);
      let etagAfter: string | undefined;
      if (step.action === 'delete') await throttled(s, () => deleteResource(conn, t, step, step.etag ?? '*'));
      else etagAfter = await throttled(s, () => writeResource(conn, t, step, step.body ?? {}, step.etag, values.get(step.id)));
      done.push({ step: s, before, etagAfter });
      emit({ type: 'step', index: i + 1, total: steps.length, step: s, status: 'done' });
    } catch (e) {
      const raw = e instanceof ApimError ? e : new ApimError((e as Error).message, 'service', undefined, true);
      const err = new ApimError(filter.apply(raw.message), raw.code, raw.status, raw.ambiguous, raw.retryAfter);
      emit({ type: 'step', index: i + 1, total: steps.length, step: s, status: 'failed', message: err.message });
      // The failed write itself may have landed (dropped connection, 5xx): check it too.
      const toUndo = before && err.code !== 'precondition' ? [...done, { step: s, before, uncertain: true }] : done;
      const reports = (await rollback(conn, t, toUndo, throttled, emit)).map((r) => ({ ...r, message: filter.apply(r.message) }));
      const restored = reports.every((r) => r.status !== 'failed');
      const undone = reports.filter((r) => r.status === 'restored').map((r) => `  ${r.message}`);
      const failedUndo = reports.filter((r) => r.status === 'failed').map((r) => `  ${r.message}`);
      const message = [
        `apply stopped at step ${i + 1} of ${steps.length} (${describeStep(s)}): ${err.message}`,
        done.length === 0 && undone.length === 0 ? 'nothing had been changed.' : undone.length > 0 ? `rolled back:\n${undone.join('\n')}` : 'nothing needed rolling back.',
        ...(failedUndo.length > 0 ? [`NOT rolled back (check these in the portal):\n${failedUndo.join('\n')}`] : []),
        restored ? `${t.service} is as it was before the apply.` : `${t.service} is only partly restored.`,
      ].join('\n');
      emit({ type: 'finish', ok: false, message });
      return { ok: false, applied: done.map((d) => d.step), failed: { step: s, message: err.message }, rollback: reports, restored, message };
    }
  }
  const message = steps.length === 0 ? `no changes: ${t.service} already matches the workspace` : `applied ${steps.length} change${steps.length === 1 ? '' : 's'} to ${t.service}`;
  emit({ type: 'finish', ok: true, message });
  return { ok: true, applied: done.map((d) => d.step), rollback: [], restored: true, message };
}
