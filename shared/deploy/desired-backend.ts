import { stripNulls } from './diff';

/*
 * Read-modify-write of backend `properties`: the workspace owns some fields, APIM keeps the rest. What apply
 * writes is the workspace's fields (exactly the shared export bodies) merged into what APIM has, so TLS
 * settings, proxies, Service Fabric, certificates or other credentials are never stripped by an apply.
 */

export type Props = Record<string, unknown>;

/** Fields of a Single backend the workspace decides; `credentials` is shared (only the api-key header is ours). */
export const SINGLE_OWNED = ['title', 'description', 'url', 'protocol', 'circuitBreaker'] as const;
/** Fields of a Pool the workspace decides; `url`/`protocol` are never kept (the service rejects them on pools). */
export const POOL_OWNED = ['title', 'description', 'type', 'pool', 'url', 'protocol'] as const;

const NAMED_VALUE_REF = /^\{\{([^{}]+)\}\}$/;

/**
 * The credentials header that carries a workspace api key: a header whose only value is `{{named value}}`.
 * `api-key` wins when there are several; otherwise exactly one such header must exist to be recognised.
 */
export function apiKeyHeader(credentials: unknown): { header: string; secret: string } | undefined {
  const headers = (credentials as { header?: Record<string, unknown> } | undefined)?.header;
  if (!headers || typeof headers !== 'object') return undefined;
  const found: { header: string; secret: string }[] = [];
  for (const [header, values] of Object.entries(headers)) {
    const m = Array.isArray(values) && values.length === 1 ? NAMED_VALUE_REF.exec(String(values[0])) : null;
    if (m) found.push({ header, secret: m[1]! });
  }
  return found.find((f) => f.header.toLowerCase() === 'api-key') ?? (found.length === 1 ? found[0] : undefined);
}

const isEmptyObject = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => x === undefined || isEmptyObject(x));

/** Actual credentials without the recognised api-key header, plus the desired one. */
function mergeCredentials(actual: unknown, desired: unknown): Props | undefined {
  const base = (actual && typeof actual === 'object' ? JSON.parse(JSON.stringify(actual)) : {}) as Props;
  const ours = apiKeyHeader(base);
  const header = { ...((base.header as Props | undefined) ?? {}) };
  if (ours) delete header[ours.header];
  const wanted = (desired as { header?: Props } | undefined)?.header ?? {};
  for (const [k, v] of Object.entries(wanted)) {
    for (const existing of Object.keys(header)) if (existing.toLowerCase() === k.toLowerCase()) delete header[existing];
    header[k] = v;
  }
  const out: Props = { ...base, header };
  if (Object.keys(header).length === 0) delete out.header;
  return isEmptyObject(out) ? undefined : out;
}

/** What to write for a Single backend: `desired` (singleBackendProperties) merged into `actual`. */
export function desiredSingle(actual: Props | undefined, desired: Props): Props {
  // A pool turning into a single is a replacement: nothing of the pool carries over.
  const base = actual && actual.type !== 'Pool' ? stripNulls(actual) : {};
  const out: Props = { ...desired };
  delete out.credentials;
  for (const [k, v] of Object.entries(base)) {
    if ((SINGLE_OWNED as readonly string[]).includes(k) || k === 'credentials' || k in out) continue;
    out[k] = v;
  }
  const credentials = mergeCredentials(base.credentials, desired.credentials);
  if (credentials) out.credentials = credentials;
  return out;
}

/** Backend id of a pool member reference, full ARM id or the labs' short `/backends/<id>`. */
export function memberBackendId(id: unknown): string | undefined {
  if (typeof id !== 'string') return undefined;
  return /\/backends\/([^/]+)$/i.exec(id)?.[1];
}

/**
 * What to write for a Pool: `desired` (poolBackendProperties) merged into `actual`. A member APIM already lists
 * keeps the id form APIM has (short `/backends/x` or full), so an import → plan round trip shows no change.
 */
export function desiredPool(actual: Props | undefined, desired: Props): Props {
  const base = actual && actual.type === 'Pool' ? stripNulls(actual) : {};
  const out: Props = { ...desired };
  const actualIds = (((base.pool as Props | undefined)?.services as Props[] | undefined) ?? []).map((s) => s.id);
  const services = ((desired.pool as Props | undefined)?.services as Props[] | undefined) ?? [];
  out.pool = {
    ...((base.pool as Props | undefined) ?? {}),
    ...(desired.pool as Props),
    services: services.map((s) => {
      const same = actualIds.find((id) => memberBackendId(id) !== undefined && memberBackendId(id) === memberBackendId(s.id));
      return same !== undefined ? { ...s, id: same } : s;
    }),
  };
  for (const [k, v] of Object.entries(base)) {
    if ((POOL_OWNED as readonly string[]).includes(k) || k in out) continue;
    out[k] = v;
  }
  return out;
}

/** Nothing in it: null, an empty list, or an object of such (APIM echoes empty maps and lists). */
const isBlank = (v: unknown): boolean =>
  v === undefined || v === null || (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && Object.values(v).every(isBlank));

/** APIM's TLS defaults (validate chain and name): nothing the user set. */
const isDefaultTls = (v: unknown) => typeof v === 'object' && v !== null && Object.values(v).every((x) => x === true);

/** The fields a backend has that the workspace does not model (reported by import, kept by apply). */
export function unmodeledFields(props: Props): string[] {
  const p = stripNulls(props);
  const isPool = p.type === 'Pool';
  const owned: readonly string[] = isPool ? POOL_OWNED : SINGLE_OWNED;
  const out: string[] = [];
  for (const k of Object.keys(p)) {
    if (owned.includes(k) || k === 'type' || isBlank(p[k]) || (k === 'tls' && isDefaultTls(p[k]))) continue;
    if (k === 'credentials') {
      const rest = mergeCredentials(p.credentials, undefined);
      const keys = Object.keys(rest ?? {}).filter((c) => !isBlank(rest![c]));
      out.push(...keys.map((c) => (c === 'header' ? `credentials.header (${Object.keys(rest!.header as Props).join(', ')})` : `credentials.${c}`)));
      continue;
    }
    out.push(k);
  }
  if (!isPool && p.protocol !== undefined && p.protocol !== 'http') out.push(`protocol ${String(p.protocol)}`);
  return out;
}
