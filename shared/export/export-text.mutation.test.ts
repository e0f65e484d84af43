import { describe, expect, it } from 'vitest';
import type { Workspace } from '../model';
import { demoWorkspace } from '../../test/support/workspace-arbitrary';
import { exportArmTemplate } from './arm-template';
import { exportBicep } from './bicep';
import { servedByExpression, servedByPolicyLines } from './served-by-header';
import { dimensionAttributes, tokenLimitXml } from './token-policy';

/*
 * The exported text where a character matters (the mutation run found these unasserted): XML and C# escapes in
 * the served-by header, attribute escapes in the token policy, the parameter names the templates reserve, and the
 * Bicep file's blank lines and final newline.
 */

// A fresh validated demo each call, edited in place.
const demo = (edit?: (ws: Workspace) => void): Workspace => {
  const ws = demoWorkspace();
  edit?.(ws);
  return ws;
};

describe('served-by header text', () => {
  it('escapes the header name for XML and backend URLs for C#, trims trailing slashes, lower-cases', () => {
    const ws = demo((w) => {
      w.apis!['azure-openai']!.servedByHeader = 'x-<a&"b>';
      w.backends['aoai-eastus']!.url = 'https://East.example.com/a"b\\c//';
    });
    const lines = servedByPolicyLines(ws, 'azure-openai');
    expect(lines[0]).toBe('        <set-header name="x-&lt;a&amp;&quot;b&gt;" exists-action="override">');
    expect(lines[1]).toBe('            <value>@{');
    expect(lines[2]).toBe('                var u = context.Request.Url.ToString().ToLowerInvariant();');
    expect(lines).toContain('                if (u.StartsWith("https://east.example.com/a\\"b\\\\c")) { return "aoai-eastus"; }');
    expect(lines.at(-2)).toBe('            }</value>');
    expect(lines.at(-1)).toBe('        </set-header>');
    expect(lines.at(-3)).toBe('                return u;');
  });

  it('writes < > & in a URL as XML entities inside the value', () => {
    const ws = demo((w) => {
      w.apis!['azure-openai']!.servedByHeader = 'x-by';
      w.backends['aoai-eastus']!.url = 'https://e.example.com/?a=<1>&b';
    });
    expect(servedByPolicyLines(ws, 'azure-openai').join('\n')).toContain('"https://e.example.com/?a=&lt;1&gt;&amp;b"');
    expect(servedByExpression(ws, 'azure-openai')).toContain('"https://e.example.com/?a=<1>&b"');
  });
});

describe('token policy attributes', () => {
  it('escapes & " < > in attribute values', () => {
    const xml = tokenLimitXml({ flavour: 'azure-openai', counterKey: { header: 'x-t' }, tokensPerMinute: 5, estimatePromptTokens: false, retryAfterHeader: 'a&"<>' } as never, '');
    expect(xml).toContain(' retry-after-header-name="a&amp;&quot;&lt;&gt;"');
    expect(xml).toContain(' tokens-per-minute="5"');
    const noRate = tokenLimitXml({ flavour: 'llm', counterKey: { header: 'x-t' }, quota: { tokens: 9, period: 'Daily' }, estimatePromptTokens: true } as never, '');
    expect(noRate).not.toContain('tokens-per-minute');
    expect(noRate).toMatch(/^<llm-token-limit /);
  });

  it('a dimension from a header reads the header; one with a value keeps it', () => {
    expect(dimensionAttributes({ name: 'Tenant', header: 'x-tenant' })).toEqual([['name', 'Tenant'], ['value', '@(context.Request.Headers.GetValueOrDefault("x-tenant", ""))']]);
    expect(dimensionAttributes({ name: 'Env', value: 'prod' })).toEqual([['name', 'Env'], ['value', 'prod']]);
  });
});

describe('template parameters and layout', () => {
  it('a secret never takes the name of the service parameter or symbol', () => {
    const ws = demo((w) => {
      const b = w.backends['aoai-eastus']!;
      b.auth = { type: 'api-key', secret: 'apim-name' };
      w.backends['aoai-uksouth']!.auth = { type: 'api-key', secret: 'apim' };
    });
    const bicep = exportBicep(ws);
    expect(bicep).toMatch(/^param apimName string$/m);
    expect(bicep).toMatch(/^param apimName2 string$/m);
    expect(bicep).toMatch(/^param apim2 string$/m);
    const arm = exportArmTemplate(ws) as { parameters: Record<string, unknown> };
    expect(Object.keys(arm.parameters)).toEqual(['apimName', 'apimName2', 'apim']);
  });

  it("ARM doubles a single quote in a name inside an expression", () => {
    const ws = demo((w) => {
      w.backends['aoai-eastus']!.auth = { type: 'api-key', secret: "it's" };
    });
    const arm = exportArmTemplate(ws) as { resources: { name: string; dependsOn?: string[] }[] };
    expect(arm.resources[0]!.name).toBe("[format('{0}/{1}', parameters('apimName'), 'it''s')]");
    expect(arm.resources.find((r) => r.dependsOn?.some((d) => d.includes("'it''s'")))?.dependsOn).toEqual(["[resourceId('Microsoft.ApiManagement/service/namedValues', parameters('apimName'), 'it''s')]"]);
  });

  it('Bicep: never two blank lines in a row, and exactly one newline at the end', () => {
    for (const out of [exportBicep(demo()), exportBicep(demo(), { source: 'x.yaml' }), exportBicep(demo(), { apiId: 'none' })]) {
      expect(out).not.toMatch(/\n\n\n/);
      expect(out.endsWith('}\n')).toBe(true);
      expect(out.endsWith('\n\n')).toBe(false);
    }
    expect(exportBicep(demo(), { source: 'x.yaml' }).split('\n')[0]).toBe('// Generated by Breakerboard from x.yaml. Deploy into the resource group of an existing API Management service:');
    expect(exportBicep(demo()).split('\n')[0]).toBe('// Generated by Breakerboard. Deploy into the resource group of an existing API Management service:');
  });
});
