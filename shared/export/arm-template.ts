import type { Workspace } from '../model/schema';
import { PREVIEW_API_VERSION, previewFieldPaths, withPoolPreview, withSinglePreview } from '../deploy/preview-fields';
import { APIM_API_VERSION, poolBackendProperties, secretNames, singleBackendProperties } from './backend-properties';
import { symbolicName } from './identifiers';
import { apiPolicyXml } from './policy';

const BACKENDS = 'Microsoft.ApiManagement/service/backends';
const NAMED_VALUES = 'Microsoft.ApiManagement/service/namedValues';

/**
 * ARM reads a string that starts with `[` and ends with `]` as an expression; such a literal is escaped by doubling
 * the opening bracket. Any other string is taken as it is (escaping it would leave a stray `[`).
 */
function literal<T>(v: T): T {
  if (typeof v === 'string') return (/^\[[\s\S]*\]$/.test(v) ? `[${v}` : v) as T;
  if (Array.isArray(v)) return v.map(literal) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, literal(x)])) as T;
  return v;
}

const str = (s: string) => `'${s.replace(/'/g, "''")}'`;
const childName = (...parts: string[]) => `[format('${parts.map((_, i) => `{${i}}`).join('/')}', parameters('apimName'), ${parts.slice(1).map(str).join(', ')})]`;
const resourceId = (type: string, ...names: string[]) => `[resourceId('${type}', parameters('apimName'), ${names.map(str).join(', ')})]`;

/** The preview api-version only for a resource that sets a preview field. */
const version = (props: Record<string, unknown>) => (previewFieldPaths(props).length ? PREVIEW_API_VERSION : APIM_API_VERSION);

/** The ARM JSON template equivalent of the Bicep export, deployable with `az deployment group create`. */
export function exportArmTemplate(ws: Workspace, options: { apiId?: string } = {}): Record<string, unknown> {
  const taken = new Set(['apimName']);
  const parameters: Record<string, unknown> = { apimName: { type: 'string', metadata: { description: 'Name of the existing API Management service' } } };
  const resources: Record<string, unknown>[] = [];
  const secretParam = new Map<string, string>();
  for (const name of secretNames(ws)) {
    const param = symbolicName('', name, taken);
    secretParam.set(name, param);
    parameters[param] = { type: 'securestring', metadata: { description: `Value of the secret named value ${name}` } };
    resources.push({
      type: NAMED_VALUES,
      apiVersion: APIM_API_VERSION,
      name: `[format('{0}/{1}', parameters('apimName'), ${str(name)})]`,
      properties: { displayName: literal(name), secret: true, value: `[parameters('${param}')]` },
    });
  }
  for (const [id, backend] of Object.entries(ws.backends)) {
    const secret = backend.auth?.type === 'api-key' ? backend.auth.secret : undefined;
    const properties = withSinglePreview(backend, singleBackendProperties(backend));
    resources.push({
      type: BACKENDS,
      apiVersion: version(properties),
      name: childName('apimName', id),
      properties: literal(properties),
      ...(secret ? { dependsOn: [resourceId(NAMED_VALUES, secret)] } : {}),
    });
  }
  for (const [id, pool] of Object.entries(ws.pools ?? {})) {
    const props = literal(withPoolPreview(pool, poolBackendProperties(pool, (m) => m)));
    (props.pool as { services: { id: string }[] }).services.forEach((s, i) => (s.id = resourceId(BACKENDS, pool.services[i]!.backend)));
    resources.push({
      type: BACKENDS,
      apiVersion: version(props),
      name: childName('apimName', id),
      properties: props,
      dependsOn: pool.services.map((m) => resourceId(BACKENDS, m.backend)),
    });
  }
  const apiIds = options.apiId ? [options.apiId] : Object.keys(ws.apis ?? {});
  for (const apiId of apiIds) {
    const api = ws.apis?.[apiId];
    if (!api) continue;
    resources.push({
      type: 'Microsoft.ApiManagement/service/apis/policies',
      apiVersion: APIM_API_VERSION,
      name: childName('apimName', apiId, 'policy'),
      properties: { format: 'rawxml', value: literal(apiPolicyXml(ws, apiId)) },
      dependsOn: [resourceId(BACKENDS, api.backend)],
    });
  }
  return {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    metadata: { generator: 'Breakerboard' },
    parameters,
    resources,
  };
}
