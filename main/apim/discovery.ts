import { all, type ArmConnection } from './client';

/*
 * What the UI's pickers list: subscriptions, resource groups, APIM services, APIs. Subscriptions and resource
 * groups are not in the APIM SDK: they are plain ARM GETs through the same pipeline, following nextLink.
 */

export interface SubscriptionInfo {
  id: string;
  name: string;
  tenantId?: string;
}
export interface ServiceInfo {
  name: string;
  resourceGroup: string;
  location?: string;
  sku?: string;
}
export interface ApiInfo {
  id: string;
  path: string;
  displayName?: string;
}

async function pages(conn: ArmConnection, path: string, what: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let next: string | undefined = path;
  for (let i = 0; next && i < 1000; i++) {
    const page = (await conn.getJson(next, what)) as { value?: Record<string, unknown>[]; nextLink?: string } | undefined;
    items.push(...(page?.value ?? []));
    next = page?.nextLink;
  }
  return items;
}

export async function listSubscriptions(conn: ArmConnection): Promise<SubscriptionInfo[]> {
  const items = await pages(conn, '/subscriptions?api-version=2022-12-01', 'the subscription list');
  return items.map((s) => ({ id: String(s.subscriptionId), name: String(s.displayName ?? s.subscriptionId), tenantId: s.tenantId as string | undefined }));
}

export async function listResourceGroups(conn: ArmConnection, subscription: string): Promise<string[]> {
  const items = await pages(conn, `/subscriptions/${encodeURIComponent(subscription)}/resourcegroups?api-version=2021-04-01`, `the resource groups of subscription ${subscription}`);
  return items.map((g) => String(g.name));
}

const groupOf = (id: string | undefined) => /\/resourceGroups\/([^/]+)\//i.exec(id ?? '')?.[1] ?? '';

/** APIM services of the connection's subscription, optionally of one resource group. */
export async function listServices(conn: ArmConnection, resourceGroup?: string): Promise<ServiceInfo[]> {
  const iter = resourceGroup ? conn.sdk.apiManagementService.listByResourceGroup(resourceGroup) : conn.sdk.apiManagementService.list();
  const items = await all(resourceGroup ? `the APIM services of resource group ${resourceGroup}` : 'the APIM services of the subscription', conn.endpoint, iter);
  return items.map((s) => ({ name: s.name ?? '', resourceGroup: groupOf(s.id), location: s.location, sku: s.sku?.name }));
}

export async function listApis(conn: ArmConnection, resourceGroup: string, service: string): Promise<ApiInfo[]> {
  const items = await all(`the APIs of service ${service}`, conn.endpoint, conn.sdk.api.listByService(resourceGroup, service));
  return items.map((a) => ({ id: a.name ?? '', path: a.path ?? '', displayName: a.displayName }));
}
