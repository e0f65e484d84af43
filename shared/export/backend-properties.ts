import type { Backend, Pool, Workspace } from '../model/schema';

/*
 * The ARM `properties` bodies of APIM backends (api-version 2024-05-01), shared by the Bicep and ARM exports and
 * by the deploy client, so all three write exactly the same thing.
 */

export const APIM_API_VERSION = '2024-05-01';
export const DEFAULT_API_KEY_HEADER = 'api-key';
export const COGNITIVE_SERVICES_RESOURCE = 'https://cognitiveservices.azure.com';

export type ArmProperties = Record<string, unknown>;

/** Properties of a `Single` backend. The service rejects `protocol: https`; `http` covers https urls. */
export function singleBackendProperties(backend: Backend): ArmProperties {
  const props: ArmProperties = {};
  if (backend.title !== undefined) props.title = backend.title;
  if (backend.description !== undefined) props.description = backend.description;
  props.url = backend.url;
  props.protocol = 'http';
  if (backend.auth?.type === 'api-key') {
    props.credentials = { header: { [backend.auth.header ?? DEFAULT_API_KEY_HEADER]: [`{{${backend.auth.secret}}}`] } };
  }
  const rules = backend.circuitBreaker?.rules ?? [];
  if (rules.length > 0) {
    props.circuitBreaker = {
      rules: rules.map((r) => {
        const fc = r.failureCondition;
        const condition: Record<string, unknown> = {};
        if (fc.count !== undefined) condition.count = fc.count;
        if (fc.percentage !== undefined) condition.percentage = fc.percentage;
        condition.interval = fc.interval;
        if (fc.statusCodeRanges) condition.statusCodeRanges = fc.statusCodeRanges.map((s) => ({ min: s.min, max: s.max }));
        if (fc.errorReasons) condition.errorReasons = [...fc.errorReasons];
        const rule: Record<string, unknown> = { name: r.name, failureCondition: condition, tripDuration: r.tripDuration };
        if (r.acceptRetryAfter !== undefined) rule.acceptRetryAfter = r.acceptRetryAfter;
        return rule;
      }),
    };
  }
  return props;
}

/**
 * Properties of a `Pool` backend: no `url`/`protocol` (the service answers "Url is not supported for backend pool"),
 * members by id. `memberId` renders a member reference for the target (Bicep `.id`, ARM `resourceId()`, full id).
 */
export function poolBackendProperties(pool: Pool, memberId: (backendId: string) => unknown): ArmProperties {
  const props: ArmProperties = {};
  if (pool.title !== undefined) props.title = pool.title;
  if (pool.description !== undefined) props.description = pool.description;
  props.type = 'Pool';
  props.pool = {
    services: pool.services.map((m) => {
      const item: Record<string, unknown> = { id: memberId(m.backend) };
      if (m.priority !== undefined) item.priority = m.priority;
      if (m.weight !== undefined) item.weight = m.weight;
      return item;
    }),
  };
  return props;
}

/** Secret names that become APIM named values (marked secret), in first-use order. */
export function secretNames(ws: Workspace): string[] {
  const names: string[] = [];
  for (const b of Object.values(ws.backends)) {
    if (b.auth?.type === 'api-key' && !names.includes(b.auth.secret)) names.push(b.auth.secret);
  }
  return names;
}

export function backendResourceId(subscription: string, resourceGroup: string, service: string, backendId: string): string {
  return `/subscriptions/${subscription}/resourceGroups/${resourceGroup}/providers/Microsoft.ApiManagement/service/${service}/backends/${backendId}`;
}
