import type { Backend, Pool } from '../model';
import type { Props } from './desired-backend';

/*
 * Backend fields only 2025-03-01-preview knows (APIM-SEMANTICS §1, §2): the SDK's 2024-05-01 model drops them, so
 * a body that carries any of them is sent raw through the client's pipeline at the preview api-version, and the
 * plan marks them "preview". A body without them is sent at the stable version.
 */

export const STABLE_API_VERSION = '2024-05-01';
export const PREVIEW_API_VERSION = '2025-03-01-preview';

const isObj = (v: unknown): v is Props => v !== null && typeof v === 'object' && !Array.isArray(v);
const set = (v: unknown) => v !== undefined && v !== null;

/** Paths of preview-only fields with a value in backend `properties`, e.g. `pool.services[1].preferredCarbonEmission`. */
export function previewFieldPaths(props: Props): string[] {
  const out: string[] = [];
  if (set(props.azureRegion)) out.push('azureRegion');
  const pool = isObj(props.pool) ? props.pool : {};
  if (set(pool.failureResponse)) out.push('pool.failureResponse');
  if (set(pool.sessionAffinity)) out.push('pool.sessionAffinity');
  (Array.isArray(pool.services) ? pool.services : []).forEach((m, i) => {
    if (isObj(m) && set(m.preferredCarbonEmission)) out.push(`pool.services[${i}].preferredCarbonEmission`);
  });
  const cb = isObj(props.circuitBreaker) ? props.circuitBreaker : {};
  (Array.isArray(cb.rules) ? cb.rules : []).forEach((r, i) => {
    if (isObj(r) && set(r.failureResponse)) out.push(`circuitBreaker.rules[${i}].failureResponse`);
  });
  return out;
}

/** The api-version a backend body must be written with. */
export const backendApiVersion = (props: Props) => (previewFieldPaths(props).length > 0 ? PREVIEW_API_VERSION : STABLE_API_VERSION);

/** A single backend's export body plus its preview fields (azureRegion, the rule's failureResponse). */
export function withSinglePreview(backend: Backend, props: Props): Props {
  const out: Props = { ...props };
  if (backend.azureRegion !== undefined) out.azureRegion = backend.azureRegion;
  const rules = backend.circuitBreaker?.rules ?? [];
  if (rules.some((r) => r.failureResponse) && isObj(out.circuitBreaker) && Array.isArray(out.circuitBreaker.rules)) {
    out.circuitBreaker = {
      ...out.circuitBreaker,
      rules: out.circuitBreaker.rules.map((r, i) => (rules[i]?.failureResponse ? { ...(r as Props), failureResponse: { statusCode: rules[i]!.failureResponse!.statusCode } } : r)),
    };
  }
  return out;
}

/** A pool's export body plus its preview fields (failureResponse, sessionAffinity, preferredCarbonEmission). */
export function withPoolPreview(pool: Pool, props: Props): Props {
  const body = isObj(props.pool) ? props.pool : {};
  const services = (Array.isArray(body.services) ? body.services : []).map((s, i) => {
    const c = pool.services[i]?.preferredCarbonEmission;
    return c !== undefined ? { ...(s as Props), preferredCarbonEmission: c } : s;
  });
  const next: Props = { ...body, services };
  if (pool.failureResponse) next.failureResponse = { statusCode: pool.failureResponse.statusCode };
  if (pool.sessionAffinity) next.sessionAffinity = { sessionId: { source: pool.sessionAffinity.sessionId.source, name: pool.sessionAffinity.sessionId.name } };
  return { ...props, pool: next };
}
