import { describe, expect, it } from 'vitest';
import { demoWorkspace } from '../../test/support/workspace-arbitrary';
import type { Workspace } from '../model';
import { backendResourceId } from './backend-properties';
import { bicepValue, exportBicep } from './bicep';
import { NO_RESPONSE_SUMMARY } from './no-response-errors';
import { servedByExpression } from './served-by-header';
import { tokenMetricXml } from './token-policy';

/*
 * Edges of the exports that a valid demo workspace does not reach (mutation run: these survived or had no test):
 * Bicep values of every JSON kind, one API exported alone, the served-by expression of an API with one backend, a
 * token metric without a namespace, the summary plans use for the no-response mapping, a backend's resource id.
 */

describe('export edges', () => {
  it('writes every JSON kind as Bicep: empty list and object, null, nested values, and escapes in strings', () => {
    expect(bicepValue([], '')).toBe('[]');
    expect(bicepValue({}, '')).toBe('{}');
    expect(bicepValue({ a: undefined }, '')).toBe('{}');
    expect(bicepValue(null, '')).toBe('null');
    expect(bicepValue({ list: [1, true], 'odd-key': { x: 'y' }, gone: undefined }, '  ')).toBe(
      "{\n    list: [\n      1\n      true\n    ]\n    'odd-key': {\n      x: 'y'\n    }\n  }",
    );
    expect(bicepValue("a\\b'c${d}\ne\rf", '')).toBe("'a\\\\b\\'c\\${d}\\ne\\rf'");
  });

  it('exports one API alone with --api, and nothing for an API that does not exist', () => {
    const ws: Workspace = structuredClone(demoWorkspace());
    ws.apis = { ...ws.apis, second: { ...Object.values(ws.apis!)[0]!, path: 'second' } };
    const policies = (bicep: string) => [...bicep.matchAll(/^resource (\S+) 'Microsoft\.ApiManagement\/service\/apis\/policies@/gm)].map((m) => m[1]);
    expect(policies(exportBicep(ws))).toEqual(['policyAzureOpenai', 'policySecond']);
    expect(policies(exportBicep(ws, { apiId: 'second' }))).toEqual(['policySecond']);
    expect(policies(exportBicep(ws, { apiId: 'none' }))).toEqual([]);
  });

  it('the served-by expression of an API with one backend names that backend', () => {
    const ws: Workspace = structuredClone(demoWorkspace());
    const [id, backend] = Object.entries(ws.backends)[0]!;
    ws.apis = { solo: { path: 'solo', backend: id } };
    expect(servedByExpression(ws, 'solo').split('\n')).toEqual([
      '@{',
      '    var u = context.Request.Url.ToString().ToLowerInvariant();',
      `    if (u.StartsWith("${backend.url.replace(/\/+$/, '').toLowerCase()}")) { return "${id}"; }`,
      '    return u;',
      '}',
    ]);
  });

  it('a token metric without a namespace has no namespace attribute', () => {
    expect(tokenMetricXml({ flavour: 'llm', dimensions: [] }, '  ')).toEqual(['  <llm-emit-token-metric>', '  </llm-emit-token-metric>']);
    expect(tokenMetricXml({ flavour: 'azure-openai', namespace: 'ns', dimensions: [] }, '')[0]).toBe('<azure-openai-emit-token-metric namespace="ns">');
  });

  it('names the no-response mapping as plans show it, and a backend by its ARM resource id', () => {
    expect(NO_RESPONSE_SUMMARY).toBe('502 BackendUnavailable, 504 BackendTimeout');
    expect(backendResourceId('sub', 'rg', 'svc', 'b1')).toBe('/subscriptions/sub/resourceGroups/rg/providers/Microsoft.ApiManagement/service/svc/backends/b1');
  });
});
