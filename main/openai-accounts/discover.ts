import type { TokenCredential } from '@azure/core-auth';
import type { DiscoveredAccount, DiscoveryResult } from '../../shared/contract/discovery';
import { all, connect, type RetrySettings } from '../apim/client';
import { listSubscriptions } from '../apim/discovery';
import { ApimError, describeArmError } from '../apim/errors';
import { cognitiveClient } from './cognitive-client';
import { accountFacts, deploymentFacts, OPENAI_KINDS } from './deployment-facts';

export interface DiscoverOptions {
  credential: TokenCredential;
  endpoint: string;
  /** Default: every subscription the sign-in can list. */
  subscriptions?: string[];
  retry?: RetrySettings;
}

const ANY_SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';

/**
 * Azure OpenAI / AI Foundry accounts and their deployments (DESIGN §6 `discover`). A subscription that cannot be
 * read is reported in `problems` and the others are still listed; a sign-in failure stops everything (nothing
 * else would work either).
 */
export async function discoverAccounts(o: DiscoverOptions): Promise<DiscoveryResult> {
  let subscriptions = o.subscriptions;
  if (!subscriptions || subscriptions.length === 0) {
    const conn = connect(ANY_SUBSCRIPTION, { credential: o.credential, endpoint: o.endpoint, retry: o.retry });
    subscriptions = (await listSubscriptions(conn)).map((s) => s.id);
  }
  const accounts: DiscoveredAccount[] = [];
  const problems: string[] = [];
  for (const subscription of subscriptions) {
    try {
      accounts.push(...(await accountsOf(subscription, o)));
    } catch (e) {
      const err = e instanceof ApimError ? e : describeArmError(e, `the Azure OpenAI accounts of subscription ${subscription}`, o.endpoint);
      if (err.code === 'sign-in') throw err;
      problems.push(err.message);
    }
  }
  accounts.sort((a, b) => a.name.localeCompare(b.name));
  return { accounts, problems };
}

async function accountsOf(subscription: string, o: DiscoverOptions): Promise<DiscoveredAccount[]> {
  const client = cognitiveClient(subscription, o);
  const list = await all(`the Azure OpenAI accounts of subscription ${subscription}`, o.endpoint, client.accounts.list());
  const out: DiscoveredAccount[] = [];
  for (const a of list) {
    if (!(OPENAI_KINDS as readonly string[]).includes(a.kind ?? '')) continue;
    const group = /\/resourceGroups\/([^/]+)\//i.exec(a.id ?? '')?.[1] ?? '';
    const deployments = await all(`the deployments of ${a.name}`, o.endpoint, client.deployments.list(group, a.name ?? ''));
    out.push(accountFacts(a, subscription, deployments.map(deploymentFacts).sort((x, y) => x.name.localeCompare(y.name))));
  }
  return out;
}
