import { backendApiVersion, sameJson, stripNulls, type Props, type ResourceKind } from '../../shared/deploy';
import { armJson, servicePath } from './arm-json';
import { call, type ApimTarget, type ArmConnection } from './client';
import { readBackend, readNamedValue, readNamedValueValue, readPolicy, svcLabel } from './read-state';

/*
 * Read, write and delete one resource of any kind the deploy touches, with If-Match. Apply and rollback use only
 * these, so every write goes through one place. Backends go raw through the pipeline (arm-json.ts).
 */

export interface Snapshot {
  exists: boolean;
  etag?: string;
  /** Backends: the wire `properties`; policies: `{ value, format }`; named values: displayName, secret, tags. */
  body?: Props;
  /** A named value's value: memory only, for comparison and rollback. */
  value?: string;
}

export interface ResourceRef {
  kind: ResourceKind;
  id: string;
}

export const whatOf = (t: ApimTarget, r: ResourceRef) =>
  `${r.kind === 'namedValue' ? 'named value' : r.kind === 'apiPolicy' ? 'the policy of api' : r.kind} '${r.id}' in ${svcLabel(t)}`;

export async function readSnapshot(conn: ArmConnection, t: ApimTarget, r: ResourceRef): Promise<Snapshot> {
  switch (r.kind) {
    case 'namedValue': {
      const nv = await readNamedValue(conn, t, r.id);
      if (!nv) return { exists: false };
      const body: Props = { displayName: nv.displayName, secret: nv.secret, ...(nv.tags?.length ? { tags: nv.tags } : {}) };
      return { exists: true, etag: nv.etag, body, value: nv.keyVault ? undefined : await readNamedValueValue(conn, t, r.id) };
    }
    case 'backend':
    case 'pool': {
      const b = await readBackend(conn, t, r.id);
      return b ? { exists: true, etag: b.etag, body: b.properties } : { exists: false };
    }
    case 'apiPolicy': {
      const p = await readPolicy(conn, t, r.id);
      return p ? { exists: true, etag: p.etag, body: { value: p.xml, format: p.format } } : { exists: false };
    }
  }
}

/** Whether the service holds `want` (content, not ETag): null and missing are the same, as APIM echoes nulls. */
export function holds(kind: ResourceKind, now: Snapshot, want: Snapshot): boolean {
  if (!want.exists || !now.exists) return now.exists === want.exists;
  switch (kind) {
    case 'backend':
    case 'pool':
      return sameJson(now.body, want.body);
    case 'apiPolicy':
      return now.body?.value === want.body?.value;
    case 'namedValue':
      return now.body?.displayName === want.body?.displayName && Boolean(now.body?.secret) === Boolean(want.body?.secret) && (want.value === undefined || now.value === want.value);
  }
}

/** PUT with If-Match (when given); returns the new ETag. */
export async function writeResource(conn: ArmConnection, t: ApimTarget, r: ResourceRef, body: Props, ifMatch: string | undefined, value?: string): Promise<string | undefined> {
  const rg = t.resourceGroup;
  const svc = t.service;
  const opts = ifMatch !== undefined ? { ifMatch } : {};
  switch (r.kind) {
    case 'backend':
    case 'pool': {
      // Nulls are what APIM echoes for unset fields; sending them back would only trip the spec's types.
      const properties = stripNulls(body);
      const res = await armJson(conn, `${servicePath(t)}/backends/${encodeURIComponent(r.id)}`, { method: 'PUT', apiVersion: backendApiVersion(properties), body: { properties }, ifMatch, what: whatOf(t, r) });
      return res.etag;
    }
    case 'namedValue':
      return call(whatOf(t, r), conn.endpoint, async () => {
        const res = await conn.sdk.namedValue.beginCreateOrUpdateAndWait(rg, svc, r.id, { ...body, displayName: String(body.displayName ?? r.id), value }, { ...opts, updateIntervalInMs: 500 });
        return res.eTag ?? (await conn.sdk.namedValue.getEntityTag(rg, svc, r.id)).eTag;
      }, true);
    case 'apiPolicy':
      return call(whatOf(t, r), conn.endpoint, async () => (await conn.sdk.apiPolicy.createOrUpdate(rg, svc, r.id, 'policy', { value: String(body.value), format: (body.format as string | undefined) ?? 'xml' }, opts)).eTag, true);
  }
}

export async function deleteResource(conn: ArmConnection, t: ApimTarget, r: ResourceRef, ifMatch: string): Promise<void> {
  const rg = t.resourceGroup;
  const svc = t.service;
  await call(whatOf(t, r), conn.endpoint, async () => {
    switch (r.kind) {
      case 'namedValue':
        return conn.sdk.namedValue.delete(rg, svc, r.id, ifMatch);
      case 'backend':
      case 'pool':
        return conn.sdk.backend.delete(rg, svc, r.id, ifMatch);
      case 'apiPolicy':
        return conn.sdk.apiPolicy.delete(rg, svc, r.id, 'policy', ifMatch);
    }
  }, true);
}
