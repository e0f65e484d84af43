import { describeStep, KIND_LABEL, memberBackendId, type ApplyEvent, type Differing, type FinalState, type RollbackReport, type StepRef } from '../../shared/deploy';
import type { ApimTarget, ArmConnection } from './client';
import { readWiring } from './policy/wiring';
import { all } from './client';
import { svcLabel } from './read-state';
import { deleteResource, holds, writeResource, type Snapshot } from './resource-ops';

/*
 * Puts back what an apply changed, newest first, each resource to the snapshot taken just before it was written,
 * deciding every time from what the service holds now (never from what apply believes it sent): a resource that
 * holds the apply's version is ours to put back; one that holds neither version was changed by someone else and
 * is left alone. A backend created by the apply is not deleted while a pool or policy still points at it.
 */

export interface Touched {
  step: StepRef;
  before: Snapshot;
  /** What the apply meant the resource to hold after its write. */
  intended: Snapshot;
  /** Whether the apply's write is known to have landed (set by rollback from what the service holds). */
  landed?: boolean;
}

type Throttled = <T>(step: StepRef, fn: () => Promise<T>) => Promise<T>;
type Read = (step: StepRef) => Promise<Snapshot>;

/** Pools (anywhere in the service) and touched API policies that route to backend `id`. */
async function referencesTo(conn: ArmConnection, t: ApimTarget, id: string, touched: Touched[], read: Read): Promise<string[]> {
  const out: string[] = [];
  const backends = await all(`the backends of ${svcLabel(t)}`, conn.endpoint, conn.sdk.backend.listByService(t.resourceGroup, t.service));
  for (const b of backends) {
    if (b.name !== id && (b.pool?.services ?? []).some((s) => memberBackendId(s.id)?.toLowerCase() === id.toLowerCase())) out.push(`pool '${b.name}'`);
  }
  for (const x of touched) {
    if (x.step.kind !== 'apiPolicy') continue;
    const now = await read(x.step);
    if (now.exists && readWiring(String(now.body?.value ?? '')).backendId === id) out.push(`the policy of api '${x.step.id}'`);
  }
  return out;
}

async function restoreOne(conn: ArmConnection, t: ApimTarget, x: Touched, touched: Touched[], read: Read, throttled: Throttled): Promise<RollbackReport> {
  const { step, before } = x;
  const label = describeStep(step);
  const now = await read(step);
  if (holds(step.kind, now, before)) {
    x.landed ??= false;
    return { step, status: 'unchanged', message: `${label}: holds what it held before; nothing to undo` };
  }
  if (!holds(step.kind, now, x.intended)) return { step, status: 'failed', message: `${label}: changed by someone else after the apply; left as it is now` };
  x.landed = true;
  try {
    if (!before.exists) {
      if (step.kind === 'backend' || step.kind === 'pool') {
        const users = await referencesTo(conn, t, step.id, touched, read);
        if (users.length > 0) return { step, status: 'failed', message: `${label}: not deleted, because ${users.join(' and ')} still point${users.length === 1 ? 's' : ''} at it` };
      }
      await throttled(step, () => deleteResource(conn, t, step, now.etag ?? '*'));
      return { step, status: 'restored', message: `${label}: deleted again` };
    }
    await throttled(step, () => writeResource(conn, t, step, before.body ?? {}, now.exists ? now.etag : undefined, before.value));
    return { step, status: 'restored', message: `${label}: restored to its state before the apply` };
  } catch (e) {
    // As in apply: a lost answer is judged by what the service holds.
    const after = await read(step).catch(() => undefined);
    if (after && holds(step.kind, after, before)) return { step, status: 'restored', message: `${label}: restored (the answer was lost; the service holds the old state)` };
    throw e;
  }
}

export async function rollback(conn: ArmConnection, t: ApimTarget, touched: Touched[], read: Read, throttled: Throttled, emit: (e: ApplyEvent) => void): Promise<RollbackReport[]> {
  const reports: RollbackReport[] = [];
  for (const x of [...touched].reverse()) {
    emit({ type: 'rollback', step: x.step, status: 'running' });
    let report: RollbackReport;
    try {
      report = await restoreOne(conn, t, x, touched, read, throttled);
    } catch (e) {
      report = { step: x.step, status: 'failed', message: `${describeStep(x.step)}: could not be undone: ${(e as Error).message}` };
    }
    reports.push(report);
    emit({ type: 'rollback', step: x.step, status: report.status === 'restored' ? 'done' : report.status === 'unchanged' ? 'skipped' : 'failed', message: report.message });
  }
  return reports;
}

/** Reads every touched resource again and says what the service holds: the report is built from this only. */
export async function settle(touched: Touched[], read: Read): Promise<{ final: FinalState; differing: Differing[]; wrote: boolean }> {
  const differing: Differing[] = [];
  let wrote = false;
  for (const x of touched) {
    const name = `${KIND_LABEL[x.step.kind]} '${x.step.id}'`;
    let now: Snapshot;
    try {
      now = await read(x.step);
    } catch (e) {
      differing.push({ kind: x.step.kind, id: x.step.id, message: `${name}: could not be read again (${(e as Error).message}); its state is unknown` });
      continue;
    }
    if (x.landed) wrote = true;
    if (holds(x.step.kind, now, x.before)) continue;
    wrote = true;
    const ours = holds(x.step.kind, now, x.intended);
    const message = !x.before.exists && ours
      ? `${name}: created by this apply and still there`
      : ours
        ? `${name}: still as the apply wrote it`
        : !x.before.exists
        ? `${name}: exists, but did not before the apply`
        : !now.exists
          ? `${name}: missing, but existed before the apply`
          : `${name}: differs from before the apply (changed by someone else?)`;
    differing.push({ kind: x.step.kind, id: x.step.id, message });
  }
  return { final: differing.length === 0 ? 'restored' : 'only partly restored', differing, wrote };
}
