import type { Workspace } from '../model/schema';
import { COGNITIVE_SERVICES_RESOURCE } from './backend-properties';
import { servedByPolicyLines } from './served-by-header';

const escapeAttr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `@(context.Response.StatusCode == 429 || …)`: the `<retry>` condition for the given status codes. */
export function retryCondition(codes: readonly number[]): string {
  return `@(${codes.map((c) => `context.Response.StatusCode == ${c}`).join(' || ')})`;
}

/** Whether the API's backend (or every member of its pool) authenticates with managed identity. */
export function usesManagedIdentity(ws: Workspace, apiId: string): { resource: string; clientId?: string } | undefined {
  const api = ws.apis && Object.hasOwn(ws.apis, apiId) ? ws.apis[apiId] : undefined;
  if (!api) return undefined;
  const members = ws.pools?.[api.backend]?.services.map((m) => m.backend) ?? [api.backend];
  const auth = ws.backends[members[0] ?? '']?.auth;
  if (auth?.type !== 'managed-identity') return undefined;
  return { resource: auth.resource ?? COGNITIVE_SERVICES_RESOURCE, clientId: auth.clientId };
}

/**
 * The API policy (APIM-SEMANTICS §5, B8): `set-backend-service backend-id`, the managed-identity element when the
 * backends use it, and an immediate `<retry>` that re-picks from the pool with the request body buffered.
 */
export function apiPolicyXml(ws: Workspace, apiId: string): string {
  // Own keys only: `toString` is not an api of every workspace.
  const api = ws.apis && Object.hasOwn(ws.apis, apiId) ? ws.apis[apiId] : undefined;
  if (!api) throw new Error(`no api "${apiId}" in the workspace`);
  const mi = usesManagedIdentity(ws, apiId);
  const inbound = ['        <base />'];
  if (mi) {
    const clientId = mi.clientId ? ` client-id="${escapeAttr(mi.clientId)}"` : '';
    inbound.push(`        <authentication-managed-identity resource="${escapeAttr(mi.resource)}"${clientId} />`);
  }
  inbound.push(`        <set-backend-service backend-id="${escapeAttr(api.backend)}" />`);
  const retry = api.retry && api.retry.count > 0 ? api.retry : undefined;
  const backend = retry
    ? [
        `        <retry condition="${escapeAttr(retryCondition(retry.on))}" count="${retry.count}" interval="0" first-fast-retry="true">`,
        '            <forward-request buffer-request-body="true" />',
        '        </retry>',
      ]
    : ['        <base />'];
  return [
    '<policies>',
    '    <inbound>',
    ...inbound,
    '    </inbound>',
    '    <backend>',
    ...backend,
    '    </backend>',
    '    <outbound>',
    '        <base />',
    ...servedByPolicyLines(ws, apiId),
    '    </outbound>',
    '    <on-error>',
    '        <base />',
    '    </on-error>',
    '</policies>',
    '',
  ].join('\n');
}
