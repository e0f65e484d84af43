import type { Backend, Pool, Workspace } from '../model/schema';

/*
 * The ARM `properties` bodies of APIM backends (api-version 2024-05-01), shared by the Bicep and ARM exports and
 * by the deploy client, so all three write exactly the same thing.
 */

export const APIM_API_VERSION = '2024-05-01';
/**
 * The api-version of the preview backend fields (`failureResponse`, `sessionAffinity`, `azureRegion`,
 * `preferredCarbonEmission`; APIM-SEMANTICS [PREV]). Exports use it only for the backends that set one of them.
 */
export const APIM_PREVIEW_API_VERSION = '2025-03-01-preview';
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
        if (r.failureResponse) rule.failureResponse = { statusCode: r.failureResponse.statusCode };
        return rule;
      }),
    };
  }
  if (backend.azureRegion !== undefined) props.azureRegion = backend.azureRegion;
  return props;
}

/** Whether a single backend sets a field that only the preview api-version has. */
export const backendUsesPreview = (b: Backend): boolean => b.azureRegion !== undefined || (b.circuitBreaker?.rules ?? []).some((r) => r.failureResponse !== undefined);

/** Whether a pool sets a field that only the preview api-version has. */
export const poolUsesPreview = (p: Pool): boolean => p.failureResponse !== undefined || p.sessionAffinity !== undefined || p.services.some((m) => m.preferredCarbonEmission !== undefined);

/** The preview fields a backend or pool sets, for the comment that marks its resource "preview". */
export function previewFields(b: Backend | Pool): string[] {
  const out: string[] = [];
  if ('services' in b) {
    if (b.failureResponse) out.push('failureResponse');
    if (b.sessionAffinity) out.push('sessionAffinity');
    if (b.services.some((m) => m.preferredCarbonEmission !== undefined)) out.push('preferredCarbonEmission');
  } else {
    if (b.azureRegion !== undefined) out.push('azureRegion');
    if ((b.circuitBreaker?.rules ?? []).some((r) => r.failureResponse)) out.push('circuitBreaker failureResponse');
  }
  return out;
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
      if (m.preferredCarbonEmission !== undefined) item.preferredCarbonEmission = m.preferredCarbonEmission;
      return item;
    }),
  };
  if (pool.failureResponse) (props.pool as Record<string, unknown>).failureResponse = { statusCode: pool.failureResponse.statusCode };
  if (pool.sessionAffinity) (props.pool as Record<string, unknown>).sessionAffinity = { sessionId: { source: pool.sessionAffinity.sessionId.source, name: pool.sessionAffinity.sessionId.name } };
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
