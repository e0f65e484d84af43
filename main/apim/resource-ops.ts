import type { Props, ResourceKind } from '../../shared/deploy';
import { call, type ApimTarget, type ArmConnection } from './client';
import { propertiesToContract, readBackend, readNamedValue, readNamedValueValue, readPolicy, svcLabel } from './read-state';

/*
 * Read, write and delete one resource of any kind the deploy touches, with If-Match. Apply and rollback use only
 * these, so every write goes through one place.
 */

export interface Snapshot {
  exists: boolean;
  etag?: string;
  body?: Props;
  /** A named value's value: memory only, for rollback. */
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

/** PUT with If-Match (when given); returns the new ETag. */
export async function writeResource(conn: ArmConnection, t: ApimTarget, r: ResourceRef, body: Props, ifMatch: string | undefined, value?: string): Promise<string | undefined> {
  const rg = t.resourceGroup;
  const svc = t.service;
  const opts = ifMatch !== undefined ? { ifMatch } : {};
  return call(whatOf(t, r), conn.endpoint, async () => {
    switch (r.kind) {
      case 'namedValue': {
        const res = await conn.sdk.namedValue.beginCreateOrUpdateAndWait(rg, svc, r.id, { ...body, displayName: String(body.displayName ?? r.id), value }, { ...opts, updateIntervalInMs: 500 });
        return res.eTag ?? (await conn.sdk.namedValue.getEntityTag(rg, svc, r.id)).eTag;
      }
      case 'backend':
      case 'pool':
        return (await conn.sdk.backend.createOrUpdate(rg, svc, r.id, propertiesToContract(body), opts)).eTag;
      case 'apiPolicy': {
        const res = await conn.sdk.apiPolicy.createOrUpdate(rg, svc, r.id, 'policy', { value: String(body.value), format: (body.format as string | undefined) ?? 'xml' }, opts);
        return res.eTag;
      }
    }
  });
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
  });
}
