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

/** What the service holds after an apply, decided by reading every touched resource again. */
export type FinalState = 'applied' | 'restored' | 'only partly restored';

/** A resource that is not as the final state says (e.g. still as the apply wrote it, or changed by someone else). */
export interface Differing {
  kind: ResourceKind;
  id: string;
  /** One sentence: what it holds now against what it held before the apply. */
  message: string;
}

export interface ApplyResult {
  /** `applied`: every change is in the service; `restored`: the service is as before; else the differing list. */
  final: FinalState;
  /** Resources that are neither as before the apply nor as the apply meant them (partial restore), by name. */
  differing: Differing[];
  ok: boolean;
  /** Steps written, in order (before any rollback). */
  applied: StepRef[];
  failed?: { step: StepRef; message: string };
  rollback: RollbackReport[];
  /** True when the service holds exactly what it held before (re-read after the rollback), or the apply succeeded. */
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
