import type { AccountInfo, ApimSettings, ApplyReport, ImportReport, PlanView, ServiceSummary, SubscriptionSummary } from '../../../../shared/contract/apim';

/*
 * What the Deploy screen shows, as data: a cache of the apim service's answers (STYLE: stores are caches of the
 * main side's truth) plus the user's picks. The credential never reaches the renderer; `account` says who.
 */

export type DeployBusy = 'signing-in' | 'listing' | 'importing' | 'planning' | 'applying' | null;

export interface DeployError {
  /** What the user was doing: "Sign in", "Plan", … */
  action: string;
  message: string;
  /** The field the error concerns (workspace path or ARM target), when known. */
  path?: string;
}

export interface StepProgress {
  kind: string;
  id: string;
  action: string;
  status: 'pending' | 'running' | 'done' | 'failed' | 'rolled-back' | 'rollback-failed' | 'not-needed';
  message?: string;
}

export interface DeployPick {
  subscription: string | null;
  resourceGroup: string | null;
  service: string | null;
}

export interface DeployView {
  settings: ApimSettings | null;
  account: AccountInfo | null;
  /** Device-code instruction while a device sign-in waits. */
  signInPrompt: string | null;
  busy: DeployBusy;
  subscriptions: SubscriptionSummary[] | null;
  resourceGroups: string[] | null;
  services: ServiceSummary[] | null;
  pick: DeployPick;
  importReport: (Omit<ImportReport, 'workspace'> & { into: 'open' | 'new'; service: string }) | null;
  plan: PlanView | null;
  /** The workspace value the plan was made from (by reference: any edit since makes the plan stale). */
  plannedValue: Record<string, unknown> | null;
  /** Per resource of the plan being applied, in apply order. */
  progress: StepProgress[];
  report: ApplyReport | null;
  error: DeployError | null;
}

export const deployInitialState: DeployView = {
  settings: null,
  account: null,
  signInPrompt: null,
  busy: null,
  subscriptions: null,
  resourceGroups: null,
  services: null,
  pick: { subscription: null, resourceGroup: null, service: null },
  importReport: null,
  plan: null,
  plannedValue: null,
  progress: [],
  report: null,
  error: null,
};
