import type { Workspace } from '../model/schema';

/*
 * The opt-in "served by" response header (apis.<id>.servedByHeader; docs/apim-fidelity.md F-OBS-1). APIM has no
 * documented variable for the pool member it picked, but in <outbound> `context.Request.Url` holds "the current
 * value of the full backend URL" (Microsoft's answer in MicrosoftDocs/azure-docs#16317): the URL of the member that
 * answered (after a <retry>, the last one). The expression maps that URL back to the backend id by the longest
 * matching base URL, compared in lower case; a URL no member matches is sent as it is, so nothing is hidden.
 */

const escapeText = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const csString = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** Backend id → base URL for the backends an API can reach (its pool's members, or its one backend). */
export function reachableBackends(ws: Workspace, apiId: string): [string, string][] {
  const api = ws.apis?.[apiId];
  if (!api) return [];
  const ids = ws.pools?.[api.backend]?.services.map((m) => m.backend) ?? [api.backend];
  return [...new Set(ids)].flatMap((id) => (ws.backends[id] ? [[id, ws.backends[id]!.url] as [string, string]] : []));
}

/** The C# policy expression that yields the backend id (multi-line `@{ … }`). */
export function servedByExpression(ws: Workspace, apiId: string): string {
  const byLength = reachableBackends(ws, apiId).sort((a, b) => b[1].length - a[1].length);
  const checks = byLength.map(([id, url]) => `if (u.StartsWith(${csString(url.replace(/\/+$/, '').toLowerCase())})) { return ${csString(id)}; }`);
  return ['@{', '    var u = context.Request.Url.ToString().ToLowerInvariant();', ...checks.map((c) => `    ${c}`), '    return u;', '}'].join('\n');
}

/** The `<set-header>` lines for a header name and expression, indented like policy.ts (apply re-indents them). */
export function servedByLines(name: string, expression: string): string[] {
  // The value must start with "@{" and end with "}": whitespace around it would make it a literal text.
  const lines = expression.split('\n').map(escapeText);
  const body = lines.slice(1, -1).map((l) => `            ${l.trim() === '' ? '' : l}`);
  return [`        <set-header name="${escapeText(name).replace(/"/g, '&quot;')}" exists-action="override">`, `            <value>${lines[0]}`, ...body, `            ${lines.at(-1)}</value>`, '        </set-header>'];
}

/** The `<set-header>` lines for the API's <outbound>, indented like policy.ts; none when the API has not opted in. */
export function servedByPolicyLines(ws: Workspace, apiId: string): string[] {
  const name = ws.apis?.[apiId]?.servedByHeader;
  return name ? servedByLines(name, servedByExpression(ws, apiId)) : [];
}
