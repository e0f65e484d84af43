import { describe, expect, it } from 'vitest';
import { apiPolicyXml } from '../../../shared/export';
import { parseWorkspaceText, validateWorkspace, type Workspace } from '../../../shared/model';
import { DEMO_WORKSPACE_YAML } from '../../../shared/model/demo';
import { rewritePolicy } from './rewrite';
import { parseRetryCondition, readWiring } from './wiring';

const demo = (): Workspace => {
  const p = parseWorkspaceText(DEMO_WORKSPACE_YAML);
  const r = p.ok ? validateWorkspace(p.value) : undefined;
  if (!r?.ok) throw new Error('demo');
  return r.workspace;
};

const want = { backendId: 'mybackendpool', retry: { count: 1, on: [429, 503] } };

describe('API policy read-modify-write', () => {
  it('reads the wiring the export writes, and leaves a matching policy byte-for-byte', () => {
    const xml = apiPolicyXml(demo(), 'azure-openai');
    expect(readWiring(xml)).toMatchObject({ backendId: 'mybackendpool', retry: { count: 1, on: [429, 503] } });
    expect(rewritePolicy(xml, want)).toBe(xml);
  });

  it('changes only backend-id and the retry attributes, keeping comments, other elements and expressions', () => {
    const xml = `<policies>
  <inbound>
    <base />
    <!-- rate limit first -->
    <rate-limit-by-key calls="10" renewal-period="60" counter-key="@(context.Request.IpAddress)" />
    <set-backend-service backend-id="old-pool" />
  </inbound>
  <backend>
    <retry condition="@(context.Response.StatusCode == 429)" count="3" interval="1" max-interval="10" delta="1">
      <forward-request timeout="60" />
    </retry>
  </backend>
  <outbound><base /></outbound>
</policies>`;
    const out = rewritePolicy(xml, want);
    expect(out).toBe(
      xml
        .replace('backend-id="old-pool"', 'backend-id="mybackendpool"')
        .replace('condition="@(context.Response.StatusCode == 429)" count="3"', 'condition="@(context.Response.StatusCode == 429 || context.Response.StatusCode == 503)" count="1"'),
    );
    expect(rewritePolicy(out, want)).toBe(out);
  });

  it('adds what is missing: set-backend-service after <base />, a retry in place of the backend <base />', () => {
    const xml = '<policies>\n    <inbound>\n        <base />\n    </inbound>\n    <backend>\n        <base />\n    </backend>\n</policies>';
    const out = rewritePolicy(xml, want);
    expect(out).toBe(apiPolicyXml(demo(), 'azure-openai').replace(/\n {4}<outbound>[\s\S]*<\/on-error>/, '').trimEnd());
    expect(rewritePolicy('<policies></policies>', { backendId: 'x' })).toBe('<policies>\n    <inbound>\n        <base />\n        <set-backend-service backend-id="x" />\n    </inbound></policies>');
  });

  it('removes our retry back to <base />, unwraps a user forward-request, and manages the Azure OpenAI identity element', () => {
    const ours = apiPolicyXml(demo(), 'azure-openai');
    expect(rewritePolicy(ours, { backendId: 'mybackendpool' })).toContain('<backend>\n        <base />\n    </backend>');
    const user = '<policies><inbound><base /><set-backend-service base-url="https://x" /></inbound><backend><retry condition="@(true)" count="2"><forward-request timeout="60" /></retry></backend></policies>';
    expect(rewritePolicy(user, { backendId: 'p' })).toBe('<policies><inbound><base /><set-backend-service backend-id="p" /></inbound><backend><forward-request timeout="60" /></backend></policies>');
    const mi = { resource: 'https://cognitiveservices.azure.com', clientId: 'abc' };
    const withMi = rewritePolicy(ours, { ...want, managedIdentity: mi });
    expect(withMi).toContain('<authentication-managed-identity resource="https://cognitiveservices.azure.com" client-id="abc" />\n        <set-backend-service');
    expect(readWiring(withMi).managedIdentity).toEqual(mi);
    expect(rewritePolicy(withMi, want)).toBe(ours);
    const other = ours.replace('<base />', '<base />\n        <authentication-managed-identity resource="https://storage.azure.com" />');
    expect(rewritePolicy(other, want)).toBe(other);
  });

  it('parses retry conditions that are lists of status codes only', () => {
    expect(parseRetryCondition('@(context.Response.StatusCode == 429 || context.Response.StatusCode == 503)')).toEqual([429, 503]);
    expect(parseRetryCondition('@(context.Response.StatusCode >= 500)')).toBeUndefined();
  });

  it('refuses a document without <policies>', () => {
    expect(() => rewritePolicy('<inbound />', want)).toThrow(/no <policies> element/);
  });
});
