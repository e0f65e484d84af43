import type { ApplyProgressEvent, PlanView } from '../../../../shared/contract/apim';
import type { StepProgress } from './initial-state';

/*
 * Apply progress per resource, folded from the service's events: every change of the plan starts pending, a step
 * event moves it, a rollback event says whether it was put back. Pure, so it is tested without React or a server.
 */

const key = (s: { kind: string; id: string }) => `${s.kind}:${s.id}`;

export function initialProgress(plan: PlanView): StepProgress[] {
  return plan.changes.filter((c) => c.action !== 'unchanged').map((c) => ({ kind: c.kind, id: c.id, action: c.action, status: 'pending' }));
}

export function foldProgress(steps: StepProgress[], event: ApplyProgressEvent): StepProgress[] {
  if (event.type !== 'step' && event.type !== 'rollback' && event.type !== 'throttled') return steps;
  const k = key(event.step);
  return steps.map((s) => {
    if (key(s) !== k) return s;
    if (event.type === 'throttled') return { ...s, message: `Azure is throttling: waiting ${event.waitSeconds} s` };
    if (event.type === 'step') return { ...s, status: event.status, message: event.message };
    switch (event.status) {
      case 'running':
        return s;
      case 'done':
        return { ...s, status: 'rolled-back', message: event.message };
      case 'skipped':
        // The failed step itself, when its write never landed: it stays "failed", with the reason it failed.
        return s.status === 'failed' ? s : { ...s, status: 'not-needed', message: event.message };
      case 'failed':
        return { ...s, status: 'rollback-failed', message: event.message };
    }
  });
}
