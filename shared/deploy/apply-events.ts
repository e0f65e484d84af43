import type { Action, ResourceKind } from './plan-schema';

/*
 * What apply reports while it runs: the CLI prints one line per event, the desktop UI subscribes to the same
 * stream. Messages never contain secret values.
 */

export interface StepRef {
  kind: ResourceKind;
  id: string;
  action: Action;
}

export type ApplyEvent =
  | { type: 'start'; total: number }
  | { type: 'step'; index: number; total: number; step: StepRef; status: 'running' | 'done' | 'failed'; message?: string }
  | { type: 'throttled'; step: StepRef; waitSeconds: number }
  | { type: 'rollback'; step: StepRef; status: 'running' | 'done' | 'failed' | 'skipped'; message?: string }
  | { type: 'finish'; ok: boolean; message: string };

export interface RollbackReport {
  step: StepRef;
  status: 'restored' | 'failed' | 'unchanged';
  message: string;
}

export interface ApplyResult {
  ok: boolean;
  /** Steps written, in order (before any rollback). */
  applied: StepRef[];
  failed?: { step: StepRef; message: string };
  rollback: RollbackReport[];
  /** True when every rollback step succeeded (or nothing needed one). */
  restored: boolean;
  message: string;
}

export const KIND_LABEL: Record<ResourceKind, string> = {
  namedValue: 'named value',
  backend: 'backend',
  pool: 'pool',
  apiPolicy: 'api policy',
};

export const describeStep = (s: Pick<StepRef, 'kind' | 'id' | 'action'>) => `${s.action} ${KIND_LABEL[s.kind]} '${s.id}'`;
