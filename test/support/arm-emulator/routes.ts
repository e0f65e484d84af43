import { backendRejections, backendSpecDetails, namedValueSpecDetails, policyDetails, type Detail } from './rejections';
import { clone, type ArmState, type Entity, type Props, type ServiceState } from './state';

/*
 * The APIM resources under one service: backends, namedValues (+ listValue), apis and apis/{id}/policies, with
 * GET/PUT/PATCH/DELETE/HEAD, ETags and If-Match, as api-version 2024-05-01 answers them.
 */

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Req {
  method: string;
  /** Segments after `/service/{name}/`, e.g. ['backends', 'x']. */
  rest: string[];
  body: unknown;
  ifMatch?: string;
  /** Full ARM id of the service, for `id` fields. */
  serviceId: string;
  /** Lists: turns a full array into one page with a nextLink. */
  page: (items: unknown[]) => Reply;
  /** The request's api-version (backends: 2024-05-01 or 2025-03-01-preview). */
  apiVersion: string;
  /** Counted when the body fails the spec (tests also re-validate the recorded bodies). */
  onSpecError: (details: Detail[]) => void;
  /** Fields stored as sent without a spec to check them (the resource had them already). */
  onUnvalidated: (fields: string[]) => void;
}

export const armError = (status: number, code: string, message: string, details?: Detail[]): Reply => ({
  status,
  body: { error: { code, message, ...(details ? { details } : {}) } },
});
const validationError = (details: Detail[]) => armError(400, 'ValidationError', 'One or more fields contain incorrect values:', details);
const notFound = (kind: string) => armError(404, 'ResourceNotFound', `${kind} not found.`);
const preconditionFailed = () => armError(412, 'PreconditionFailed', 'Resource was modified since last retrieval. Refresh the resource and try again.');

/** JSON merge of PATCH bodies: objects merge, everything else (arrays included) replaces. */
function merge(target: Props, patch: Props): Props {
  const out = clone(target);
  for (const [k, v] of Object.entries(patch)) {
    const cur = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur) ? merge(cur as Props, v as Props) : clone(v);
  }
  return out;
}

interface Kind {
  type: string;
  label: string;
  /** What GET shows: secrets hidden, pools echo `url`/`protocol` as null as the service does. */
  view: (props: Props) => Props;
  check: (props: Props, svc: ServiceState, kind: 'put' | 'patch', req: Req, current?: Entity) => Detail[];
}

const BACKEND: Kind = {
  type: 'Microsoft.ApiManagement/service/backends',
  label: 'Backend',
  view: (p) => (p.type === 'Pool' ? { url: null, protocol: null, title: null, ...p } : { ...p }),
  check: (props, svc, kind, req, current) => {
    const version = req.apiVersion === '2025-03-01-preview' ? '2025-03-01-preview' : '2024-05-01';
    const { details, unvalidated } = backendSpecDetails(props, kind, version, current?.properties);
    if (unvalidated.length > 0) req.onUnvalidated(unvalidated);
    if (details.length > 0) req.onSpecError(details);
    return details;
  },
};

const NAMED_VALUE: Kind = {
  type: 'Microsoft.ApiManagement/service/namedValues',
  label: 'NamedValue',
  view: (p) => {
    const { value, ...rest } = p;
    return { ...rest, ...(p.secret ? {} : { value }), provisioningState: 'Succeeded' };
  },
  check: (props, _svc, kind, req) => {
    const spec = namedValueSpecDetails(props, kind);
    if (spec.length > 0) req.onSpecError(spec);
    return spec;
  },
};

function entityBody(kind: Kind, serviceId: string, path: string, name: string, e: Entity): Props {
  return { id: `${serviceId}/${path}`, type: kind.type, name, properties: kind.view(clone(e.properties)) };
}

function ifMatchFails(req: Req, current: Entity | undefined): boolean {
  if (req.ifMatch === undefined) return false;
  if (req.ifMatch === '*') return current === undefined;
  return current === undefined || current.etag !== req.ifMatch;
}

/** One collection of top-level entities (backends or namedValues). */
function collection(state: ArmState, svc: ServiceState, map: Map<string, Entity>, kind: Kind, seg: string, req: Req): Reply {
  const [, id, action] = req.rest;
  const path = (n: string) => `${seg}/${n}`;
  if (id === undefined) {
    if (req.method !== 'GET') return armError(405, 'MethodNotAllowed', 'Method not allowed.');
    return req.page([...map].map(([n, e]) => entityBody(kind, req.serviceId, path(n), n, e)));
  }
  const current = map.get(id);
  if (action === 'listValue' && kind === NAMED_VALUE && req.method === 'POST') {
    if (!current) return notFound(kind.label);
    return { status: 200, body: { value: current.properties.value }, headers: { etag: current.etag } };
  }
  if (action !== undefined) return armError(404, 'NotFound', 'Operation not found.');
  switch (req.method) {
    case 'GET':
    case 'HEAD':
      if (!current) return notFound(kind.label);
      return { status: 200, body: req.method === 'GET' ? entityBody(kind, req.serviceId, path(id), id, current) : undefined, headers: { etag: current.etag } };
    case 'PUT':
    case 'PATCH': {
      const props = ((req.body as { properties?: Props } | undefined)?.properties ?? {}) as Props;
      if (req.method === 'PATCH') {
        if (!current) return notFound(kind.label);
        if (req.ifMatch === undefined) return armError(400, 'InvalidRequest', "The 'If-Match' header is required.");
      }
      if (ifMatchFails(req, current)) return preconditionFailed();
      const spec = kind.check(props, svc, req.method === 'PUT' ? 'put' : 'patch', req, current);
      if (spec.length > 0) return validationError(spec);
      const next = req.method === 'PATCH' ? merge(current!.properties, props) : clone(props);
      if (kind === NAMED_VALUE && req.method === 'PUT' && next.secret === undefined) next.secret = false;
      const service = kind === BACKEND ? backendRejections(next, svc) : [];
      if (service.length > 0) return validationError(service);
      const e = { properties: next, etag: state.nextEtag() };
      map.set(id, e);
      return { status: current ? 200 : 201, body: entityBody(kind, req.serviceId, path(id), id, e), headers: { etag: e.etag } };
    }
    case 'DELETE':
      if (!current) return { status: 204 };
      if (req.ifMatch === undefined) return armError(400, 'InvalidRequest', "The 'If-Match' header is required.");
      if (ifMatchFails(req, current)) return preconditionFailed();
      map.delete(id);
      return { status: 200 };
    default:
      return armError(405, 'MethodNotAllowed', 'Method not allowed.');
  }
}

const API_TYPE = 'Microsoft.ApiManagement/service/apis';

function apis(state: ArmState, svc: ServiceState, req: Req): Reply {
  const [, apiId, sub, policyId] = req.rest;
  if (apiId === undefined) {
    if (req.method !== 'GET') return armError(405, 'MethodNotAllowed', 'Method not allowed.');
    return req.page([...svc.apis].map(([n, a]) => ({ id: `${req.serviceId}/apis/${n}`, type: API_TYPE, name: n, properties: clone(a.properties) })));
  }
  const api = svc.apis.get(apiId);
  if (!api) return notFound('Api');
  if (sub === undefined) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return armError(405, 'MethodNotAllowed', 'APIs are created by the user, not by this emulator.');
    return { status: 200, body: req.method === 'GET' ? { id: `${req.serviceId}/apis/${apiId}`, type: API_TYPE, name: apiId, properties: clone(api.properties) } : undefined, headers: { etag: api.etag } };
  }
  if (sub === 'operations' && policyId === undefined) {
    if (req.method !== 'GET') return armError(405, 'MethodNotAllowed', 'Operations are created by the user, not by this emulator.');
    return req.page([...(api.operations ?? [])].map(([n, p]) => ({ id: `${req.serviceId}/apis/${apiId}/operations/${n}`, type: `${API_TYPE}/operations`, name: n, properties: clone(p) })));
  }
  if (sub !== 'policies') return armError(404, 'NotFound', 'Operation not found.');
  const policyBody = (e: Entity) => ({ id: `${req.serviceId}/apis/${apiId}/policies/policy`, type: `${API_TYPE}/policies`, name: 'policy', properties: clone(e.properties) });
  if (policyId === undefined) {
    if (req.method !== 'GET') return armError(405, 'MethodNotAllowed', 'Method not allowed.');
    return req.page(api.policy ? [policyBody(api.policy)] : []);
  }
  if (policyId !== 'policy') return notFound('Policy');
  const current = api.policy;
  switch (req.method) {
    case 'GET':
    case 'HEAD':
      if (!current) return notFound('Policy');
      return { status: 200, body: req.method === 'GET' ? policyBody(current) : undefined, headers: { etag: current.etag } };
    case 'PUT': {
      if (ifMatchFails(req, current)) return preconditionFailed();
      const props = clone(((req.body as { properties?: Props } | undefined)?.properties ?? {}) as Props);
      const details = policyDetails(props, svc);
      if (details.some((d) => d.message.startsWith('spec:'))) req.onSpecError(details);
      if (details.length > 0) return validationError(details);
      // APIM stores the document and answers it in the `xml` format.
      api.policy = { properties: { value: props.value, format: 'xml' }, etag: state.nextEtag() };
      return { status: current ? 200 : 201, body: policyBody(api.policy), headers: { etag: api.policy.etag } };
    }
    case 'DELETE':
      if (!current) return { status: 204 };
      if (req.ifMatch === undefined) return armError(400, 'InvalidRequest', "The 'If-Match' header is required.");
      if (ifMatchFails(req, current)) return preconditionFailed();
      api.policy = undefined;
      return { status: 200 };
    default:
      return armError(405, 'MethodNotAllowed', 'Method not allowed.');
  }
}

export function serviceChild(state: ArmState, svc: ServiceState, req: Req): Reply {
  switch (req.rest[0]?.toLowerCase()) {
    case 'backends':
      return collection(state, svc, svc.backends, BACKEND, 'backends', req);
    case 'namedvalues':
      return collection(state, svc, svc.namedValues, NAMED_VALUE, 'namedValues', req);
    case 'apis':
      return apis(state, svc, req);
    default:
      return armError(404, 'NotFound', `The emulator does not serve '${req.rest[0] ?? ''}'.`);
  }
}
