import type { DiscoveredAccount, DiscoveredDeployment } from '../contract/discovery';
import { ID_PATTERN, type Backend, type Capacity, type Workspace } from '../model/schema';
import { idTaken } from './result';

/*
 * Discovery → backends in one step (issue 17): each picked deployment becomes a backend with the account's OpenAI
 * endpoint + `/openai` (the path APIM's Azure OpenAI import uses), managed-identity auth (no key to store), a title
 * naming region and SKU, and what discovery knows about its capacity (planning only; never exported).
 */

export interface DeploymentPick {
  account: DiscoveredAccount;
  deployment: DiscoveredDeployment;
}

const isProvisioned = (sku: string) => /Provisioned/i.test(sku);

/** A backend id from account and deployment names: APIM resource-name safe, at most 80 characters. */
export function backendIdFor(account: string, deployment: string): string {
  const raw = `${account}-${deployment}`.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9_]+/, '');
  const id = (raw || 'backend').slice(0, 80);
  return ID_PATTERN.test(id) ? id : `b-${id}`.slice(0, 80);
}

export function capacityOf(account: DiscoveredAccount, d: DiscoveredDeployment): Capacity {
  const cap: Capacity = { sku: d.sku };
  if (d.tokensPerMinute !== null) cap.tokensPerMinute = d.tokensPerMinute;
  if (d.requestsPerMinute !== null) cap.requestsPerMinute = d.requestsPerMinute;
  if (isProvisioned(d.sku) && d.capacity !== null) cap.ptu = d.capacity;
  if (d.model) cap.model = d.model;
  if (d.version) cap.modelVersion = d.version;
  if (account.region) cap.region = account.region;
  if (d.name) cap.deployment = d.name.slice(0, 64);
  return cap;
}

export function backendFromDeployment(account: DiscoveredAccount, d: DiscoveredDeployment): Backend {
  const base = account.endpoint.replace(/\/+$/, '');
  return {
    title: `${d.name} (${account.region}, ${d.sku})`.slice(0, 300),
    url: `${base}/openai`,
    auth: { type: 'managed-identity' },
    capacity: capacityOf(account, d),
  };
}

/**
 * Adds one backend per pick. An id already taken gets `-2`, `-3`, …; a deployment already present (same URL and
 * deployment name) is not added twice. Returns the ids added, in pick order.
 */
export function addDiscoveredBackends(ws: Workspace, picks: readonly DeploymentPick[]): { workspace: Workspace; added: string[]; skipped: string[] } {
  const backends = { ...ws.backends };
  const added: string[] = [];
  const skipped: string[] = [];
  for (const { account, deployment } of picks) {
    const backend = backendFromDeployment(account, deployment);
    const existing = Object.entries(backends).find(([, b]) => b.url === backend.url && b.capacity?.deployment === backend.capacity?.deployment);
    if (existing) {
      skipped.push(existing[0]);
      continue;
    }
    const base = backendIdFor(account.name, deployment.name);
    let id = base;
    for (let n = 2; id in backends || idTaken({ ...ws, backends }, id); n++) id = `${base.slice(0, 76)}-${n}`;
    backends[id] = backend;
    added.push(id);
  }
  return { workspace: added.length > 0 ? { ...ws, backends } : ws, added, skipped };
}
