import { describeStep, type ApplyEvent, type RollbackReport, type StepRef } from '../../shared/deploy';
import type { ApimTarget, ArmConnection } from './client';
import { deleteResource, readSnapshot, writeResource, type Snapshot } from './resource-ops';

/*
 * Puts back what an apply changed, newest first, each resource to the snapshot taken just before it was written.
 * A resource someone else changed after our write is not overwritten: that is reported instead.
 */

export interface Done {
  step: StepRef;
  before: Snapshot;
  /** ETag our write produced; undefined for the failed step (its outcome is unknown). */
  etagAfter?: string;
  /** The failed step: restore only if the write landed after all. */
  uncertain?: boolean;
}

type Throttled = <T>(step: StepRef, fn: () => Promise<T>) => Promise<T>;

async function restoreOne(conn: ArmConnection, t: ApimTarget, d: Done, throttled: Throttled): Promise<RollbackReport> {
  const { step, before } = d;
  const label = describeStep(step);
  const now = await throttled(step, () => readSnapshot(conn, t, step));
  const untouched = now.exists === before.exists && (!now.exists || now.etag === before.etag);
  if (untouched) return { step, status: 'unchanged', message: `${label}: not written, nothing to undo` };
  if (!d.uncertain && now.exists && d.etagAfter !== undefined && now.etag !== d.etagAfter) {
    return { step, status: 'failed', message: `${label}: changed by someone else after the apply wrote it; left as it is now` };
  }
  if (!before.exists) {
    await throttled(step, () => deleteResource(conn, t, step, now.etag ?? '*'));
    return { step, status: 'restored', message: `${label}: deleted again` };
  }
  await throttled(step, () => writeResource(conn, t, step, before.body ?? {}, now.exists ? now.etag : undefined, before.value));
  return { step, status: 'restored', message: `${label}: restored to its state before the apply` };
}

export async function rollback(conn: ArmConnection, t: ApimTarget, done: Done[], throttled: Throttled, emit: (e: ApplyEvent) => void): Promise<RollbackReport[]> {
  const reports: RollbackReport[] = [];
  for (const d of [...done].reverse()) {
    emit({ type: 'rollback', step: d.step, status: 'running' });
    let report: RollbackReport;
    try {
      report = await restoreOne(conn, t, d, throttled);
    } catch (e) {
      report = { step: d.step, status: 'failed', message: `${describeStep(d.step)}: could not be undone: ${(e as Error).message}` };
    }
    reports.push(report);
    emit({ type: 'rollback', step: d.step, status: report.status === 'restored' ? 'done' : report.status === 'unchanged' ? 'skipped' : 'failed', message: report.message });
  }
  return reports;
}
