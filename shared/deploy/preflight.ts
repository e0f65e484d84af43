import { memberBackendId, type Props } from './desired-backend';

/*
 * What APIM would refuse, caught before anything is sent, in the service's own words (APIM-SEMANTICS §3), so an
 * apply does not stop half-way on a rejection the plan could have shown.
 */

export const MAX_POOL_MEMBERS = 30;

/** Learn "Backends": "The circuit breaker isn't supported in the Consumption tier" (the service's words, F-DEPLOY-4). */
export const consumptionBreakerMessage = (service: string, sku: string) =>
  `circuitBreaker: Circuit breaker isn't supported in the ${sku} tier (service ${service} has SKU ${sku}); remove the rule or deploy to a Developer, Basic, Standard, Premium or v2 tier`;

export interface ServiceFacts {
  /** The service's `sku.name` (e.g. Consumption, Developer, StandardV2). */
  sku?: string;
  service?: string;
}

const isObj = (v: unknown): v is Props => v !== null && typeof v === 'object' && !Array.isArray(v);
const intIn = (v: unknown, min: number, max: number) => v === undefined || v === null || (Number.isInteger(v) && (v as number) >= min && (v as number) <= max);

/** The spec's limits (APIM-SEMANTICS §3) on what a body carries, by field path. */
function limitRejections(props: Props, id: string | undefined): string[] {
  const out: string[] = [];
  if (id !== undefined && (id.length < 1 || id.length > 80)) out.push(`backendId: must be 1 to 80 characters (it has ${id.length})`);
  const text = (k: string, max: number) => {
    if (typeof props[k] === 'string' && ((props[k] as string).length < 1 || (props[k] as string).length > max)) out.push(`${k}: must be 1 to ${max} characters`);
  };
  text('title', 300);
  text('description', 2000);
  text('url', 2000);
  const rules = isObj(props.circuitBreaker) && Array.isArray(props.circuitBreaker.rules) ? props.circuitBreaker.rules : [];
  rules.forEach((r, i) => {
    const at = `circuitBreaker.rules[${i}]`;
    const fc = isObj(r) && isObj(r.failureCondition) ? r.failureCondition : {};
    const ranges = Array.isArray(fc.statusCodeRanges) ? fc.statusCodeRanges : [];
    if (ranges.length > 10) out.push(`${at}.failureCondition.statusCodeRanges: at most 10 ranges`);
    ranges.forEach((g, j) => {
      if (isObj(g) && (!intIn(g.min, 200, 599) || !intIn(g.max, 200, 599))) out.push(`${at}.failureCondition.statusCodeRanges[${j}]: min and max must be 200 to 599`);
    });
    const reasons = Array.isArray(fc.errorReasons) ? fc.errorReasons : [];
    if (reasons.length > 10) out.push(`${at}.failureCondition.errorReasons: at most 10 reasons`);
    if (reasons.some((x) => String(x).length > 200)) out.push(`${at}.failureCondition.errorReasons: each at most 200 characters`);
    if (isObj(r) && isObj(r.failureResponse) && !intIn(r.failureResponse.statusCode, 100, 599)) out.push(`${at}.failureResponse.statusCode: must be 100 to 599`);
  });
  const pool = isObj(props.pool) ? props.pool : {};
  (Array.isArray(pool.services) ? pool.services : []).forEach((m, i) => {
    if (isObj(m) && !intIn(m.weight, 0, 100)) out.push(`pool.services[${i}].weight: must be 0 to 100`);
    if (isObj(m) && !intIn(m.priority, 0, 100)) out.push(`pool.services[${i}].priority: must be 0 to 100`);
  });
  if (isObj(pool.failureResponse) && !intIn(pool.failureResponse.statusCode, 100, 599)) out.push('pool.failureResponse.statusCode: must be 100 to 599');
  return out;
}

/**
 * Problems with one backend body. `existing(id)` says whether a member backend will exist when the pool is
 * written ('single', 'pool' or undefined for missing).
 */
export function backendRejections(props: Props, existing: (id: string) => 'single' | 'pool' | undefined, facts: ServiceFacts & { id?: string } = {}): string[] {
  const out: string[] = limitRejections(props, facts.id);
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
  if (rules.length > 0 && facts.sku !== undefined && /^consumption$/i.test(facts.sku)) out.push(consumptionBreakerMessage(facts.service ?? 'the service', facts.sku));
  return out;
}
