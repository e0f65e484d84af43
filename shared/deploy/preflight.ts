import { memberBackendId, type Props } from './desired-backend';

/*
 * What APIM would refuse, caught before anything is sent, in the service's own words (APIM-SEMANTICS §3), so an
 * apply does not stop half-way on a rejection the plan could have shown.
 */

export const MAX_POOL_MEMBERS = 30;

/**
 * Problems with one backend body. `existing(id)` says whether a member backend will exist when the pool is
 * written ('single', 'pool' or undefined for missing).
 */
export function backendRejections(props: Props, existing: (id: string) => 'single' | 'pool' | undefined): string[] {
  const out: string[] = [];
  if (props.type === 'Pool') {
    if (props.url !== undefined) out.push('url: Url is not supported for backend pool.');
    if (props.protocol !== undefined) out.push('protocol: Protocol is not supported for backend pool.');
    const services = ((props.pool as Props | undefined)?.services as Props[] | undefined) ?? [];
    if (services.length > MAX_POOL_MEMBERS) out.push(`pool: You can include up to ${MAX_POOL_MEMBERS} backends in a pool.`);
    for (const s of services) {
      const id = memberBackendId(s.id) ?? String(s.id);
      const kind = existing(id);
      if (kind === undefined) out.push(`pool: Backend Entity '${id}' not found.`);
      if (kind === 'pool') out.push("pool: You can't add a backend of type pool to another backend pool.");
    }
  } else if (props.protocol === 'https') {
    out.push('protocol: Protocol is not supported');
  }
  const rules = ((props.circuitBreaker as Props | undefined)?.rules as unknown[] | undefined) ?? [];
  if (rules.length > 1) out.push('circuitBreaker: Only one rule is allowed in a backend circuit breaker.');
  return out;
}
