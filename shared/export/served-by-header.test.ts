import { describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { parseWorkspaceText, validateWorkspace, type Workspace } from '../model';
import { DEMO_WORKSPACE_YAML } from '../model/demo';
import { demoWorkspace } from '../../test/support/workspace-arbitrary';
import { apiPolicyXml } from './policy';
import { servedByExpression } from './served-by-header';

// A fresh validated demo each call, edited in place.
const demo = (edit?: (ws: Workspace) => void): Workspace => {
  const ws = demoWorkspace();
  edit?.(ws);
  return ws;
};

describe('the opt-in served-by header in the exported policy', () => {
  it('is absent unless the API opts in', () => {
    // <on-error> sets Content-Type on its own answers (F-RETRY-8); the served-by header belongs to <outbound>.
    const xml = apiPolicyXml(demo(), 'azure-openai');
    expect(xml.slice(xml.indexOf('<outbound>'), xml.indexOf('</outbound>'))).not.toContain('set-header');
  });

  it('adds a set-header in <outbound> whose value is one policy expression mapping the backend URL to the id', () => {
    const xml = apiPolicyXml(demo((ws) => (ws.apis!['azure-openai']!.servedByHeader = 'x-served-by')), 'azure-openai');
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(xml) as { policies: { outbound: { 'set-header': { '@_name': string; '@_exists-action': string; value: string } } } };
    const h = parsed.policies.outbound['set-header'];
    expect(h['@_name']).toBe('x-served-by');
    expect(h['@_exists-action']).toBe('override');
    // The element text is exactly the expression: "@{" first and "}" last, nothing around them.
    expect(h.value.startsWith('@{')).toBe(true);
    expect(h.value.endsWith('}')).toBe(true);
    expect(h.value).toContain('context.Request.Url.ToString().ToLowerInvariant()');
    expect(h.value).toContain('if (u.StartsWith("https://eastus-aoai.openai.azure.com/openai")) { return "aoai-eastus"; }');
  });

  it('checks longer base URLs first, so a backend under another one\'s path is told apart', () => {
    const ws = demo((w) => {
      w.backends['aoai-uksouth']!.url = 'https://eastus-aoai.openai.azure.com/openai/v2';
    });
    const expr = servedByExpression(ws, 'azure-openai');
    expect(expr.indexOf('"aoai-uksouth"')).toBeLessThan(expr.indexOf('"aoai-eastus"'));
  });

  it('validates the header name in the workspace', () => {
    const p = parseWorkspaceText(`${DEMO_WORKSPACE_YAML.replace('retry: { count: 1, on: [429, 503] }', 'retry: { count: 1, on: [429, 503] }\n    servedByHeader: "x served"')}`);
    if (!p.ok) throw new Error('parse');
    const r = validateWorkspace(p.value);
    expect(r.ok).toBe(false);
    expect(r.errors).toContainEqual({ path: 'apis.azure-openai.servedByHeader', message: 'must be an HTTP header name: 1-100 characters, no spaces or separators' });
  });
});
