import { all, call, type ApimTarget, type ArmConnection } from '../client';
import { ApimError } from '../errors';

/*
 * APIM subscription keys for a drill against the deployed gateway, read from the service through the management
 * API (Subscription_List, Subscription_ListSecrets). Listing shows names and scopes only; a key is read when one is
 * picked, kept in memory for the run, and never written to the workspace, a log or a report.
 */

export interface SubscriptionKeyInfo {
  /** The subscription's id (`sid`) inside the service. */
  id: string;
  displayName: string;
  /** `/apis/azure-openai`, `/products/x` or `/apis` (all APIs). */
  scope: string;
  state: string;
}

const scopeOf = (scope: string | undefined) => (scope ? scope.replace(/^.*\/service\/[^/]+/i, '') || '/' : '');

export async function listSubscriptionKeys(arm: ArmConnection, t: ApimTarget): Promise<SubscriptionKeyInfo[]> {
  const subs = await all(`listing the subscriptions of ${t.service}`, arm.endpoint, arm.sdk.subscription.list(t.resourceGroup, t.service));
  return subs.map((s) => ({ id: s.name ?? '', displayName: s.displayName ?? s.name ?? '', scope: scopeOf(s.scope), state: s.state ?? 'unknown' }));
}

/** The primary key of one subscription (the secondary when there is no primary). */
export async function readSubscriptionKey(arm: ArmConnection, t: ApimTarget, sid: string): Promise<string> {
  const secrets = await call(`reading the keys of subscription "${sid}"`, arm.endpoint, () => arm.sdk.subscription.listSecrets(t.resourceGroup, t.service, sid));
  const key = secrets.primaryKey ?? secrets.secondaryKey;
  if (!key) throw new ApimError(`subscription "${sid}" of ${t.service} has no key`, 'input');
  return key;
}
