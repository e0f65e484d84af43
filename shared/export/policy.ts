import { parseDuration } from '../model/duration';
import type { Api, Workspace } from '../model/schema';
import { COGNITIVE_SERVICES_RESOURCE } from './backend-properties';
import { tokenPolicyLines } from './token-policy';
import { noResponseChoose } from './no-response-errors';
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
 * The `forward-request` attributes Breakerboard owns beside `buffer-request-body`: `timeout` (whole seconds, else
 * `timeout-ms`) from the API's `timeout` (F-RETRY-6), and `buffer-response="false"` for an API that streams
 * (F-STREAM-1). Empty when APIM's defaults apply.
 */
export function forwardRequestAttrs(api: Pick<Api, 'timeout' | 'stream'>): [string, string][] {
  const out: [string, string][] = [];
  if (api.timeout) {
    const r = parseDuration(api.timeout);
    if (r.ok) out.push(r.ms % 1000 === 0 ? ['timeout', String(r.ms / 1000)] : ['timeout-ms', String(Math.round(r.ms))]);
  }
  if (api.stream) out.push(['buffer-response', 'false']);
  return out;
}

const attrText = (attrs: [string, string][]) => attrs.map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');

/**
 * The API policy (APIM-SEMANTICS §5, fidelity table): `set-backend-service backend-id`, the managed-identity element
 * when the backends use it, and an immediate `<retry>` that sets the pool again before each `forward-request`, so
 * every try goes back to the pool (F-RETRY-5, Azure-Samples/AI-Gateway commit 2016f35), with the body buffered.
 * `<on-error>` keeps APIM's default (`<base />`) and maps a backend that gave no response to the local gateway's
 * 502 / 504 (F-RETRY-8); it runs only once the retry has given up (F-RETRY-3).
 */
export function apiPolicyXml(ws: Workspace, apiId: string): string {
  // Own keys only: `toString` is not an api of every workspace.
  const api = ws.apis && Object.hasOwn(ws.apis, apiId) ? ws.apis[apiId] : undefined;
  if (!api) throw new Error(`no api "${apiId}" in the workspace`);
  const mi = usesManagedIdentity(ws, apiId);
  const sbs = `<set-backend-service backend-id="${escapeAttr(api.backend)}" />`;
  const inbound = ['        <base />', ...tokenPolicyLines(api)];
  if (mi) {
    const clientId = mi.clientId ? ` client-id="${escapeAttr(mi.clientId)}"` : '';
    inbound.push(`        <authentication-managed-identity resource="${escapeAttr(mi.resource)}"${clientId} />`);
  }
  inbound.push(`        ${sbs}`);
  const retry = api.retry && api.retry.count > 0 ? api.retry : undefined;
  const fwd = attrText(forwardRequestAttrs(api));
  const backend = retry
    ? [
        `        <retry condition="${escapeAttr(retryCondition(retry.on))}" count="${retry.count}" interval="0" first-fast-retry="true">`,
        `            ${sbs}`,
        `            <forward-request buffer-request-body="true"${fwd} />`,
        '        </retry>',
      ]
    : fwd
      ? [`        <forward-request${fwd} />`]
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
    `        ${noResponseChoose('        ')}`,
    '    </on-error>',
    '</policies>',
    '',
  ].join('\n');
}
