import type { PlanChangeView, PlanView } from '../../../../shared/contract/apim';
import type { AppState } from '../types';

/*
 * Derived views of the deploy state (never stored): the plan as a tree by resource kind, whether Apply may be
 * pressed, the portal address of the picked service, and an Azure error in words.
 */

export const selectDeploy = (s: AppState) => s.deploy;
export const selectAccount = (s: AppState) => s.deploy.account;
export const selectPlan = (s: AppState) => s.deploy.plan;

export const KIND_TITLE: Record<PlanChangeView['kind'], string> = { namedValue: 'Named values', backend: 'Backends', pool: 'Pools', apiPolicy: 'API policies' };
const KIND_ORDER: PlanChangeView['kind'][] = ['namedValue', 'backend', 'pool', 'apiPolicy'];

export interface PlanGroup {
  kind: PlanChangeView['kind'];
  title: string;
  changes: PlanChangeView[];
}

/** The plan's resources grouped by kind (apply order), with their counts per action. */
export function planTree(plan: PlanView): PlanGroup[] {
  return KIND_ORDER.map((kind) => ({ kind, title: KIND_TITLE[kind], changes: plan.changes.filter((c) => c.kind === kind) })).filter((g) => g.changes.length > 0);
}

export function planCounts(plan: PlanView): Record<PlanChangeView['action'], number> {
  const n = { create: 0, update: 0, delete: 0, unchanged: 0 };
  for (const c of plan.changes) n[c.action] += 1;
  return n;
}

export const planHasChanges = (plan: PlanView) => plan.changes.some((c) => c.action !== 'unchanged');

export const selectCanApply = (s: AppState) => {
  const { plan, busy, report } = s.deploy;
  return plan !== null && busy === null && report === null && plan.blockers.length === 0 && planHasChanges(plan);
};

/** The editor changed since the plan was made: the plan no longer shows what the workspace says. */
export const selectPlanIsStale = (s: AppState) => s.deploy.plan !== null && s.deploy.report === null && s.deploy.plannedValue !== s.workspace.value;

const PORTALS: [RegExp, string][] = [
  [/usgovcloudapi\.net$/i, 'https://portal.azure.us'],
  [/chinacloudapi\.cn$/i, 'https://portal.azure.cn'],
];

/** The Azure portal page of an APIM service, in the portal of the endpoint's cloud. */
export function portalUrl(t: { subscription: string; resourceGroup: string; service: string }, endpoint: string, tenant?: string | null): string {
  let host = '';
  try {
    host = new URL(endpoint).hostname;
  } catch {
    // Not a URL: public Azure.
  }
  const portal = PORTALS.find(([re]) => re.test(host))?.[1] ?? 'https://portal.azure.com';
  const id = `/subscriptions/${t.subscription}/resourceGroups/${t.resourceGroup}/providers/Microsoft.ApiManagement/service/${t.service}`;
  return `${portal}/#${tenant ? `@${tenant}` : ''}/resource${id}/overview`;
}

export interface AzureErrorView {
  title: string;
  message: string;
  /** The field it concerns (e.g. `pool`, `pools.p.services[0].weight`), when the error names one. */
  field?: string;
  hint?: string;
}

/** An Azure or sign-in failure as a title, the service's words, the field, and what to do. */
export function describeAzureError(action: string, message: string, path?: string): AzureErrorView {
  const field = path ?? /APIM rejected [^:]+: [^:]*?: ([A-Za-z][\w.[\]-]*): /.exec(message)?.[1];
  const base = { message, ...(field ? { field } : {}) };
  if (/\(403|no access to/i.test(message)) return { ...base, title: `${action}: no permission`, hint: 'Ask for the "API Management Service Contributor" role on this service, or pick another.' };
  if (/\(401|not signed in|sign-in/i.test(message)) return { ...base, title: `${action}: sign-in needed`, hint: 'Sign in again (the token may have expired).' };
  if (/\(429|throttling/i.test(message)) return { ...base, title: `${action}: Azure is throttling requests`, hint: 'Wait a moment and try again.' };
  if (/APIM rejected|ValidationError|\(400/i.test(message)) return { ...base, title: `${action}: Azure refused a value` };
  if (/someone else since the plan|\(412/i.test(message)) return { ...base, title: `${action}: changed in Azure since the plan`, hint: 'Plan again to see the current state, then apply.' };
  if (/\(409|conflict/i.test(message)) return { ...base, title: `${action}: another operation is in progress`, hint: 'Try again in a minute.' };
  if (/not found \(404|was not found/i.test(message)) return { ...base, title: `${action}: not found`, hint: 'Check the subscription, resource group and service.' };
  return { ...base, title: `${action} failed` };
}
