import { PREVIEW_API_VERSION, STABLE_API_VERSION, type Props } from '../../shared/deploy';
import { armJson, servicePath } from './arm-json';
import { all, call, type ApimTarget, type ArmConnection } from './client';
import { ApimError } from './errors';

/*
 * What one APIM service holds: backends as the raw wire `properties` and ETag (read at the newest api-version we
 * know, so every field the service has is seen and kept, F-DEPLOY-1), named values through the SDK (never
 * their secret values here), APIs and their policies (value through listByApi, ETag through HEAD: `get` maps
 * the policy onto XML and loses `value`, TOOLCHAIN).
 */

export interface ActualBackend {
  id: string;
  properties: Props;
  etag?: string;
}
export interface ActualNamedValue {
  id: string;
  displayName: string;
  secret: boolean;
  keyVault: boolean;
  tags?: string[];
  etag?: string;
}
export interface ActualPolicy {
  xml: string;
  format: string;
  etag?: string;
}
export interface ActualApi {
  id: string;
  path: string;
  policy?: ActualPolicy;
  /** Read for import only: the API's operations (fidelity row F-OPS-1). */
  operations?: { method: string; urlTemplate: string }[];
}
export interface ActualState {
  /** The service's `sku.name` (Consumption has no circuit breaker). */
  sku?: string;
  backends: Map<string, ActualBackend>;
  namedValues: Map<string, ActualNamedValue>;
  apis: Map<string, ActualApi>;
}

export const svcLabel = (t: ApimTarget) => `service ${t.service} (resource group ${t.resourceGroup})`;

/** A cloud that does not offer the preview version answers 400 InvalidApiVersionParameter. */
const noSuchVersion = (e: unknown) => e instanceof ApimError && e.status === 400 && /api-version/i.test(e.message);

/**
 * One backend exactly as the service sent it (`properties` untouched, nulls and unknown fields included), at the
 * preview version; where the cloud does not offer it (sovereign clouds lag), at the stable one.
 */
export async function readBackend(conn: ArmConnection, t: ApimTarget, id: string): Promise<ActualBackend | undefined> {
  const path = `${servicePath(t)}/backends/${encodeURIComponent(id)}`;
  const what = `backend '${id}' in ${svcLabel(t)}`;
  const res = await armJson(conn, path, { method: 'GET', apiVersion: PREVIEW_API_VERSION, what }).catch((e: unknown) =>
    noSuchVersion(e) ? armJson(conn, path, { method: 'GET', apiVersion: STABLE_API_VERSION, what }) : Promise.reject(e),
  );
  if (res.status === 404) return undefined;
  const properties = (res.body?.properties ?? {}) as Props;
  return { id, properties, etag: res.etag };
}

export async function readNamedValue(conn: ArmConnection, t: ApimTarget, id: string): Promise<ActualNamedValue | undefined> {
  try {
    const n = await conn.sdk.namedValue.get(t.resourceGroup, t.service, id);
    return { id, displayName: n.displayName ?? id, secret: Boolean(n.secret), keyVault: Boolean(n.keyVault), tags: n.tags, etag: n.eTag };
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return undefined;
    return call(`named value '${id}' in ${svcLabel(t)}`, conn.endpoint, () => Promise.reject(e));
  }
}

/** The value of a named value (secret or not). Held in memory only, for comparison and rollback. */
export async function readNamedValueValue(conn: ArmConnection, t: ApimTarget, id: string): Promise<string | undefined> {
  const r = await call(`the value of named value '${id}' in ${svcLabel(t)}`, conn.endpoint, () => conn.sdk.namedValue.listValue(t.resourceGroup, t.service, id));
  return r.value;
}

export async function readPolicy(conn: ArmConnection, t: ApimTarget, apiId: string): Promise<ActualPolicy | undefined> {
  const what = `the policy of api '${apiId}' in ${svcLabel(t)}`;
  let etag: string | undefined;
  try {
    // ETag first: if the policy changes between the two reads, the older ETag makes the write fail safely.
    etag = (await conn.sdk.apiPolicy.getEntityTag(t.resourceGroup, t.service, apiId, 'policy')).eTag;
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return undefined;
    return call(what, conn.endpoint, () => Promise.reject(e));
  }
  const list = await call(what, conn.endpoint, () => conn.sdk.apiPolicy.listByApi(t.resourceGroup, t.service, apiId));
  const p = list.value?.find((x) => x.name === 'policy') ?? list.value?.[0];
  if (!p) return undefined;
  return { xml: p.value ?? '', format: p.format ?? 'xml', etag };
}

export async function readApi(conn: ArmConnection, t: ApimTarget, apiId: string): Promise<ActualApi | undefined> {
  try {
    const a = await conn.sdk.api.get(t.resourceGroup, t.service, apiId);
    return { id: apiId, path: a.path ?? '', policy: await readPolicy(conn, t, apiId) };
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return undefined;
    if (e instanceof ApimError) throw e;
    return call(`api '${apiId}' in ${svcLabel(t)}`, conn.endpoint, () => Promise.reject(e));
  }
}

/**
 * Reads the service. `apis`: which APIs (with policies) to read; `'all'` for import. Backends and named values
 * are listed, then each backend is read again for its ETag (lists carry none).
 */
export async function readActualState(conn: ArmConnection, t: ApimTarget, apis: string[] | 'all'): Promise<ActualState> {
  const rg = t.resourceGroup;
  const svc = t.service;
  const service = await call(svcLabel(t), conn.endpoint, () => conn.sdk.apiManagementService.get(rg, svc));
  const listed = await all(`the backends of ${svcLabel(t)}`, conn.endpoint, conn.sdk.backend.listByService(rg, svc));
  const backends = new Map<string, ActualBackend>();
  for (const b of listed) {
    const full = await readBackend(conn, t, b.name!);
    if (full) backends.set(full.id, full);
  }
  const nvs = await all(`the named values of ${svcLabel(t)}`, conn.endpoint, conn.sdk.namedValue.listByService(rg, svc));
  const namedValues = new Map<string, ActualNamedValue>();
  for (const n of nvs) {
    namedValues.set(n.name!, { id: n.name!, displayName: n.displayName ?? n.name!, secret: Boolean(n.secret), keyVault: Boolean(n.keyVault), tags: n.tags });
  }
  const ids = apis === 'all' ? (await all(`the APIs of ${svcLabel(t)}`, conn.endpoint, conn.sdk.api.listByService(rg, svc))).map((a) => a.name!) : apis;
  const apiMap = new Map<string, ActualApi>();
  for (const id of ids) {
    const api = await readApi(conn, t, id);
    if (api && apis === 'all') {
      const ops = await all(`the operations of api '${id}' in ${svcLabel(t)}`, conn.endpoint, conn.sdk.apiOperation.listByApi(rg, svc, id));
      api.operations = ops.filter((o) => o.method && o.urlTemplate).map((o) => ({ method: o.method!, urlTemplate: o.urlTemplate! }));
    }
    if (api) apiMap.set(id, api);
  }
  return { sku: service.sku?.name, backends, namedValues, apis: apiMap };
}
