/*
 * Read-modify-write of backend `properties`: the workspace owns some fields, APIM keeps the rest. What apply
 * writes is the workspace's fields overlaid on what APIM returned, key by key in APIM's own order, so TLS
 * settings, proxies, Service Fabric, certificates, managed-identity credentials or fields of a newer
 * api-version come back exactly as the service sent them.
 */

export type Props = Record<string, unknown>;

/** Fields of a Single backend the workspace decides; `credentials` is shared (only the api-key header is ours). */
export const SINGLE_OWNED = ['title', 'description', 'url', 'protocol', 'circuitBreaker', 'azureRegion'] as const;
/** Fields of a Pool the workspace decides; `url`/`protocol` are never kept (the service rejects them on pools). */
export const POOL_OWNED = ['title', 'description', 'type', 'pool', 'url', 'protocol'] as const;
/** Inside objects the workspace owns, the keys it models; any other key there is the service's and is kept. */
const RULE_KEYS = ['name', 'failureCondition', 'tripDuration', 'acceptRetryAfter', 'failureResponse'];
const CONDITION_KEYS = ['count', 'percentage', 'interval', 'statusCodeRanges', 'errorReasons'];
const POOL_KEYS = ['services', 'failureResponse', 'sessionAffinity'];
const MEMBER_KEYS = ['id', 'priority', 'weight', 'preferredCarbonEmission'];

const NAMED_VALUE_REF = /^\{\{([^{}]+)\}\}$/;
const isObj = (v: unknown): v is Props => v !== null && typeof v === 'object' && !Array.isArray(v);

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

/**
 * `actual` with the `owned` keys taken from `desired`: kept keys stay where they were, owned keys the workspace
 * does not set are dropped, new owned keys are appended. `nested` merges an owned value with the actual one.
 */
function overlay(actual: Props, desired: Props, owned: readonly string[], nested: Record<string, (a: unknown, d: unknown) => unknown> = {}): Props {
  const out: Props = {};
  const set = (k: string, a: unknown) => {
    const d = desired[k];
    if (d === undefined) return;
    out[k] = nested[k] ? nested[k](a, d) : d;
  };
  for (const [k, v] of Object.entries(actual)) {
    if (owned.includes(k)) set(k, v);
    else out[k] = v;
  }
  for (const k of Object.keys(desired)) if (!(k in out) && owned.includes(k)) set(k, undefined);
  return out;
}

/** An owned object whose unmodelled keys (a newer api-version's) are kept. */
const keepUnknown = (keys: string[], inner: Record<string, (a: unknown, d: unknown) => unknown> = {}) => (a: unknown, d: unknown) =>
  isObj(d) ? overlay(isObj(a) ? a : {}, d, keys, inner) : d;

const rulesMerge = (a: unknown, d: unknown) => {
  if (!isObj(d) || !Array.isArray(d.rules)) return d;
  const actualRules = isObj(a) && Array.isArray(a.rules) ? a.rules : [];
  const rule = keepUnknown(RULE_KEYS, { failureCondition: keepUnknown(CONDITION_KEYS) });
  const wanted = d.rules as unknown[];
  return overlay(isObj(a) ? a : {}, d, ['rules'], { rules: () => wanted.map((r, i) => rule(actualRules[i], r)) });
};

/** Actual credentials with the workspace's api-key header in place of the recognised one; the rest as it was. */
function mergeCredentials(actual: unknown, desired: unknown): Props | undefined {
  const base = isObj(actual) ? actual : {};
  const ours = apiKeyHeader(base);
  const wanted = Object.entries((desired as { header?: Props } | undefined)?.header ?? {});
  const header: Props = {};
  const taken = new Set<string>();
  for (const [k, v] of Object.entries(isObj(base.header) ? base.header : {})) {
    const w = wanted.find(([name]) => name.toLowerCase() === k.toLowerCase());
    if (w) {
      header[w[0]] = w[1];
      taken.add(w[0]);
    } else if (k !== ours?.header) header[k] = v;
  }
  for (const [k, v] of wanted) if (!taken.has(k)) header[k] = v;
  const out: Props = {};
  let placed = false;
  for (const [k, v] of Object.entries(base)) {
    if (k !== 'header') out[k] = v;
    else if (Object.keys(header).length > 0 || v === null) {
      out.header = Object.keys(header).length > 0 ? header : v;
      placed = true;
    }
  }
  if (!placed && Object.keys(header).length > 0) out.header = header;
  return Object.keys(out).length === 0 ? undefined : out;
}

/** What to write for a Single backend: `desired` (the workspace's fields) overlaid on `actual`. */
export function desiredSingle(actual: Props | undefined, desired: Props): Props {
  // A pool turning into a single is a replacement: nothing of the pool carries over.
  const base = actual && actual.type !== 'Pool' ? actual : {};
  // The protocol APIM has (`soap` too) is kept: the workspace writes `http` only where there is none.
  const out = overlay(base, desired, SINGLE_OWNED, { circuitBreaker: rulesMerge, protocol: (a, d) => (typeof a === 'string' && a !== '' ? a : d) });
  const credentials = mergeCredentials(base.credentials, desired.credentials);
  if (credentials) out.credentials = credentials;
  else delete out.credentials;
  return out;
}

/** Backend id of a pool member reference, full ARM id or the labs' short `/backends/<id>`. */
export function memberBackendId(id: unknown): string | undefined {
  if (typeof id !== 'string') return undefined;
  return /\/backends\/([^/]+)$/i.exec(id)?.[1];
}

/**
 * What to write for a Pool: `desired` overlaid on `actual`. A member APIM already lists keeps the id form APIM
 * has (short `/backends/x` or full) and any field the workspace does not model.
 */
export function desiredPool(actual: Props | undefined, desired: Props): Props {
  const base = actual && actual.type === 'Pool' ? actual : {};
  const actualPool = isObj(base.pool) ? base.pool : {};
  const actualMembers = (actualPool.services as Props[] | undefined) ?? [];
  const member = keepUnknown(MEMBER_KEYS);
  // ARM names are case-insensitive: `/backends/Alpha` is the workspace's `alpha`.
  const memberKey = (id: unknown) => memberBackendId(id)?.toLowerCase();
  const services = (d: unknown) =>
    (Array.isArray(d) ? (d as Props[]) : []).map((s) => {
      const same = actualMembers.find((m) => memberKey(m.id) !== undefined && memberKey(m.id) === memberKey(s.id));
      return same ? member(same, { ...s, id: same.id }) : s;
    });
  // A session id the workspace cannot hold (no cookie name) stays while the workspace sets none; APIM's spelling of
  // the source (`Cookie`) stays when it is the workspace's value.
  const wantsAffinity = isObj(desired.pool) && desired.pool.sessionAffinity !== undefined;
  const poolKeys = !wantsAffinity && unmodelledAffinity(actualPool.sessionAffinity) ? POOL_KEYS.filter((k) => k !== 'sessionAffinity') : POOL_KEYS;
  const sameText = (a: unknown, d: unknown) => (typeof a === 'string' && typeof d === 'string' && a.toLowerCase() === d.toLowerCase() ? a : d);
  const affinity = keepUnknown(['sessionId'], { sessionId: keepUnknown(['source', 'name'], { source: sameText }) });
  return overlay(base, desired, POOL_OWNED, { pool: keepUnknown(poolKeys, { services: (_a, d) => services(d), sessionAffinity: affinity }) });
}

/** A session affinity whose session id has no cookie name: the workspace cannot hold it (its schema needs one). */
function unmodelledAffinity(v: unknown): boolean {
  const sid = isObj(v) ? v.sessionId : undefined;
  return isObj(sid) && (typeof sid.name !== 'string' || sid.name === '');
}

/** Nothing in it: null, an empty list, or an object of such (APIM echoes empty maps and lists). */
const isBlank = (v: unknown): boolean =>
  v === undefined || v === null || (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && Object.values(v).every(isBlank));

/** APIM's TLS defaults (validate chain and name): nothing the user set. */
const isDefaultTls = (v: unknown) => typeof v === 'object' && v !== null && Object.values(v).every((x) => x === true);

/** The fields a backend has that the workspace does not model (reported by import and plan, kept by apply). */
export function unmodeledFields(props: Props): string[] {
  const isPool = props.type === 'Pool';
  const owned: readonly string[] = isPool ? POOL_OWNED : SINGLE_OWNED;
  const out: string[] = [];
  for (const k of Object.keys(props)) {
    if (owned.includes(k) || k === 'type' || isBlank(props[k]) || (k === 'tls' && isDefaultTls(props[k]))) continue;
    if (k === 'credentials') {
      const rest = mergeCredentials(props.credentials, undefined);
      const keys = Object.keys(rest ?? {}).filter((c) => !isBlank(rest![c]));
      out.push(...keys.map((c) => (c === 'header' ? `credentials.header (${Object.keys(rest!.header as Props).join(', ')})` : `credentials.${c}`)));
      continue;
    }
    out.push(k);
  }
  const nestedExtra = (path: string, v: unknown, keys: string[]) => {
    if (isObj(v)) for (const k of Object.keys(v)) if (!keys.includes(k) && !isBlank(v[k])) out.push(`${path}.${k}`);
  };
  if (isPool) {
    nestedExtra('pool', props.pool, POOL_KEYS);
    const members = isObj(props.pool) && Array.isArray(props.pool.services) ? props.pool.services : [];
    members.forEach((m, i) => nestedExtra(`pool.services[${i}]`, m, MEMBER_KEYS));
  } else {
    const rules = isObj(props.circuitBreaker) && Array.isArray(props.circuitBreaker.rules) ? props.circuitBreaker.rules : [];
    rules.forEach((r, i) => {
      nestedExtra(`circuitBreaker.rules[${i}]`, r, RULE_KEYS);
      if (isObj(r)) nestedExtra(`circuitBreaker.rules[${i}].failureCondition`, r.failureCondition, CONDITION_KEYS);
    });
    if (props.protocol !== undefined && props.protocol !== null && props.protocol !== 'http') out.push(`protocol ${String(props.protocol)}`);
  }
  return out;
}

/** The field paths apply sets on a backend of this kind (what the plan says it touches). */
export function touchedFields(kind: 'backend' | 'pool', desired: Props): string[] {
  if (kind === 'pool') return ['title', 'description', 'type', 'pool.services', 'pool.failureResponse', 'pool.sessionAffinity'];
  const key = apiKeyHeader(desired.credentials);
  // Every owned field, set or not: one the workspace leaves out is removed (the plan's fields show it).
  return [...SINGLE_OWNED, ...(key ? [`credentials.header.${key.header}`] : [])];
}
