import { XMLValidator } from 'fast-xml-parser';
import { validateAgainstSpec, validateBackendProperties, type SpecError, type SpecVersion } from '../apim-spec';
import type { Props, ServiceState } from './state';

/*
 * What APIM itself refuses, with its wording (APIM-SEMANTICS §3), and the spec check of every body. Each problem
 * becomes one `details` entry of APIM's error shape:
 * {"error":{"code":"ValidationError","message":"One or more fields contain incorrect values:","details":[{target,…}]}}
 */

export interface Detail {
  code: string;
  target: string;
  message: string;
}

export const MAX_POOL_MEMBERS = 30;

const detail = (target: string, message: string): Detail => ({ code: 'ValidationError', target, message });
const specDetails = (errors: SpecError[]): Detail[] => errors.map((e) => detail(e.path === '/' ? 'properties' : e.path.slice(1).replaceAll('/', '.'), `spec: ${e.message}`));

/** `/subscriptions/…/backends/x` or the labs' `/backends/x` → `x`. */
export function memberBackendId(id: unknown): string | undefined {
  if (typeof id !== 'string') return undefined;
  const m = /\/backends\/([^/]+)$/i.exec(id);
  return m?.[1];
}

/** `{{name}}` references inside credential values must name existing named values (by display name). */
function missingNamedValues(props: Props, svc: ServiceState): string[] {
  const creds = props.credentials as { header?: Record<string, string[]>; query?: Record<string, string[]> } | undefined;
  const values = [...Object.values(creds?.header ?? {}), ...Object.values(creds?.query ?? {})].flat();
  const names = new Set([...svc.namedValues.values()].map((n) => String(n.properties.displayName)));
  const missing: string[] = [];
  for (const v of values) for (const m of String(v).matchAll(/\{\{([^}]+)\}\}/g)) if (!names.has(m[1]!)) missing.push(m[1]!);
  return missing;
}

/** The service's rules for a backend's full properties (after a PATCH merge, the merged result). */
export function backendRejections(props: Props, svc: ServiceState): Detail[] {
  const out: Detail[] = [];
  const isPool = props.type === 'Pool';
  if (isPool) {
    if (props.url !== undefined && props.url !== null) out.push(detail('url', 'Url is not supported for backend pool.'));
    if (props.protocol !== undefined && props.protocol !== null) out.push(detail('protocol', 'Protocol is not supported for backend pool.'));
    const services = ((props.pool as { services?: unknown[] } | undefined)?.services ?? []) as Props[];
    if (services.length > MAX_POOL_MEMBERS) out.push(detail('pool', `You can include up to ${MAX_POOL_MEMBERS} backends in a pool.`));
    for (const s of services) {
      const id = memberBackendId(s.id);
      // ARM names are case-insensitive: `/backends/ALPHA` names backend `alpha`.
      const member = id ? [...svc.backends].find(([k]) => k.toLowerCase() === id.toLowerCase())?.[1] : undefined;
      if (!member) out.push(detail('pool', `Backend Entity '${id ?? String(s.id)}' not found.`));
      else if (member.properties.type === 'Pool') out.push(detail('pool', "You can't add a backend of type pool to another backend pool."));
    }
  } else if (props.protocol === 'https') {
    out.push(detail('protocol', 'Protocol is not supported'));
  }
  const rules = (props.circuitBreaker as { rules?: unknown[] } | undefined)?.rules ?? [];
  if (rules.length > 1) out.push(detail('circuitBreaker', 'Only one rule is allowed in a backend circuit breaker.'));
  // Learn "Backends": not supported in the Consumption tier (the live error text is unpublished: F-DEPLOY-4).
  if (rules.length > 0 && svc.sku === 'Consumption') out.push(detail('circuitBreaker', "Circuit breaker isn't supported in the Consumption tier."));
  for (const name of missingNamedValues(props, svc)) out.push(detail('credentials', `Property '${name}' not found.`));
  return out;
}

/** The value at a JSON pointer (`/credentials/managedIdentity`), or undefined. */
function at(value: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Props)[k] : undefined), value);
}

/**
 * Spec check of a backend body at its api-version (pools without the spec's wrong `required: [url, protocol]`).
 * A field the spec does not name is refused, unless the stored resource already has it at the same place: then
 * it came from the service (a newer api-version's field, `credentials.managedIdentity`, …) and is stored and
 * returned as sent, unvalidated, as ARM keeps what it does not check.
 */
export function backendSpecDetails(props: Props, kind: 'put' | 'patch', version: SpecVersion = '2024-05-01', stored?: Props): { details: Detail[]; unvalidated: string[] } {
  const errors = kind === 'patch' ? validateAgainstSpec('BackendUpdateParameterProperties', props, version) : validateBackendProperties(props, version).filter((e) => !/not supported for backend pool/.test(e.message));
  const unvalidated = errors.filter((e) => e.unknown !== undefined && stored !== undefined && at(stored, e.unknown) !== undefined).map((e) => e.unknown!);
  return { details: specDetails(errors.filter((e) => e.unknown === undefined || !unvalidated.includes(e.unknown))), unvalidated };
}

export function namedValueSpecDetails(props: Props, kind: 'put' | 'patch'): Detail[] {
  const out = specDetails(validateAgainstSpec(kind === 'put' ? 'NamedValueCreateContractProperties' : 'NamedValueUpdateParameterProperties', props));
  if (kind === 'put' && props.keyVault === undefined && (typeof props.value !== 'string' || props.value.trim() === '')) {
    out.push(detail('value', 'Value may not be empty or consist only of whitespace.'));
  }
  return out;
}

/** A policy must be well-formed XML under <policies>, and backend-id must name an existing backend. */
export function policyDetails(props: Props, svc: ServiceState): Detail[] {
  const out = specDetails(validateAgainstSpec('PolicyContractProperties', props));
  const xml = typeof props.value === 'string' ? props.value : '';
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return [...out, detail('value', `'${valid.err.msg}' Line ${valid.err.line}, position ${valid.err.col}.`)];
  if (!/^\s*<policies[\s>]/.test(xml)) out.push(detail('value', "Root element must be 'policies'."));
  for (const m of xml.matchAll(/<set-backend-service\b[^>]*\bbackend-id="([^"]*)"/g)) {
    if (!m[1]!.startsWith('@') && !svc.backends.has(m[1]!)) out.push(detail('set-backend-service', `Backend with id '${m[1]}' could not be found.`));
  }
  return out;
}
