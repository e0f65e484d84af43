import { describe, expect, it } from 'vitest';
import { apiPolicyXml, NO_RESPONSE_SUMMARY } from '../../../shared/export';
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

/** Apply also adds the on-error mapping of F-RETRY-8 (on-error.test.ts): the other edits are compared without it. */
const withoutMapping = (xml: string) => {
  expect(readWiring(xml).noResponseErrors).toBe(NO_RESPONSE_SUMMARY);
  return xml.replace(/\n[ \t]*<on-error>\n[ \t]*<base \/>\n[ \t]*<choose>[\s\S]*?<\/choose>\n[ \t]*<\/on-error>/, '');
};

describe('API policy read-modify-write', () => {
  it('reads the wiring the export writes, and leaves a matching policy byte-for-byte', () => {
    const xml = apiPolicyXml(demo(), 'azure-openai');
    expect(readWiring(xml)).toMatchObject({ backendId: 'mybackendpool', retry: { count: 1, on: [429, 503] } });
    expect(rewritePolicy(xml, want)).toBe(xml);
  });

  it('changes only backend-id and the retry attributes (its waits too), keeping comments, other elements and expressions', () => {
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
    const out = rewritePolicy(xml, { ...want, timeout: 'PT60S' });
    expect(withoutMapping(out)).toBe(
      xml
        .replace('backend-id="old-pool"', 'backend-id="mybackendpool"')
        .replace('condition="@(context.Response.StatusCode == 429)" count="3"', 'condition="@(context.Response.StatusCode == 429 || context.Response.StatusCode == 503)" count="1"')
        // F-RETRY-1: tries follow at once, as rehearsed; the waits between them go.
        .replace(' interval="1" max-interval="10" delta="1"', ' interval="0" first-fast-retry="true"')
        // F-RETRY-5: the pool is set again inside the retry; the replay needs the body kept.
        .replace('<forward-request timeout="60" />', '<set-backend-service backend-id="mybackendpool" />\n      <forward-request timeout="60" buffer-request-body="true" />'),
    );
    expect(rewritePolicy(out, { ...want, timeout: 'PT60S' })).toBe(out);
  });

  it('adds what is missing: set-backend-service after <base />, a retry in place of the backend <base />', () => {
    const xml = '<policies>\n    <inbound>\n        <base />\n    </inbound>\n    <backend>\n        <base />\n    </backend>\n</policies>';
    const out = rewritePolicy(xml, want);
    // With the mapping and the outbound section the export has, the result is the export's text.
    expect(out).toBe(apiPolicyXml(demo(), 'azure-openai').replace(/\n {4}<outbound>[\s\S]*?<\/outbound>/, '').trimEnd());
    expect(withoutMapping(rewritePolicy('<policies></policies>', { backendId: 'x' }))).toBe('<policies>\n    <inbound>\n        <base />\n        <set-backend-service backend-id="x" />\n    </inbound></policies>');
  });

  it('removes our retry back to <base />, unwraps a user forward-request, and manages the Azure OpenAI identity element', () => {
    const ours = apiPolicyXml(demo(), 'azure-openai');
    expect(rewritePolicy(ours, { backendId: 'mybackendpool' })).toContain('<backend>\n        <base />\n    </backend>');
    const user = '<policies><inbound><base /><set-backend-service base-url="https://x" /></inbound><backend><retry condition="@(true)" count="2"><forward-request timeout="60" /></retry></backend></policies>';
    expect(withoutMapping(rewritePolicy(user, { backendId: 'p', timeout: 'PT60S' }))).toBe('<policies><inbound><base /><set-backend-service backend-id="p" /></inbound><backend><forward-request timeout="60" /></backend></policies>');
    const mi = { resource: 'https://cognitiveservices.azure.com', clientId: 'abc' };
    const withMi = rewritePolicy(ours, { ...want, managedIdentity: mi });
    expect(withMi).toContain('<authentication-managed-identity resource="https://cognitiveservices.azure.com" client-id="abc" />\n        <set-backend-service');
    expect(readWiring(withMi).managedIdentity).toEqual(mi);
    expect(rewritePolicy(withMi, want)).toBe(ours);
    const other = ours.replace('<base />', '<base />\n        <authentication-managed-identity resource="https://storage.azure.com" />');
    expect(rewritePolicy(other, want)).toBe(other);
  });

  it('F-RETRY-5: recognises both retry shapes and writes the one with set-backend-service inside', () => {
    const lab = '<policies><inbound><base /><set-backend-service backend-id="p" /></inbound><backend><retry condition="@(context.Response.StatusCode == 429)" count="1" interval="0" first-fast-retry="true"><forward-request buffer-request-body="true" /></retry></backend></policies>';
    expect(readWiring(lab)).toMatchObject({ backendId: 'p', retry: { count: 1, on: [429] }, retryReselects: false });
    const out = rewritePolicy(lab, { backendId: 'p', retry: { count: 1, on: [429] } });
    expect(withoutMapping(out)).toBe(lab.replace('first-fast-retry="true">', 'first-fast-retry="true"><set-backend-service backend-id="p" />\n'));
    expect(readWiring(out)).toMatchObject({ backendId: 'p', retry: { count: 1, on: [429] }, retryReselects: true });
    expect(rewritePolicy(out, { backendId: 'p', retry: { count: 1, on: [429] } })).toBe(out);
    // Moving to another pool changes both set-backend-service elements; dropping the retry removes ours with it.
    expect(rewritePolicy(out, { backendId: 'q', retry: { count: 1, on: [429] } })).toBe(out.replaceAll('backend-id="p"', 'backend-id="q"'));
    expect(withoutMapping(rewritePolicy(out, { backendId: 'p' }))).toBe('<policies><inbound><base /><set-backend-service backend-id="p" /></inbound><backend><base /></backend></policies>');
  });

  it('F-RETRY-6 / F-STREAM-1: writes, changes and removes forward-request timeout and buffer-response, and reads them back', () => {
    const base = '<policies>\n    <inbound>\n        <base />\n    </inbound>\n    <backend>\n        <base />\n    </backend>\n</policies>';
    const streamed = rewritePolicy(base, { backendId: 'p', timeout: 'PT90S', stream: true });
    expect(streamed).toContain('<backend>\n        <forward-request timeout="90" buffer-response="false" />\n    </backend>');
    expect(readWiring(streamed)).toMatchObject({ timeout: 'PT90S', stream: true });
    const ms = rewritePolicy(streamed, { backendId: 'p', timeout: 'PT1.5S' });
    expect(ms).toContain('<forward-request timeout-ms="1500" />');
    expect(readWiring(ms)).toMatchObject({ timeout: 'PT1.5S' });
    expect(readWiring(ms).stream).toBeUndefined();
    const retried = rewritePolicy(ms, { backendId: 'p', retry: { count: 2, on: [429] }, timeout: 'PT1.5S' });
    expect(retried).toContain('<set-backend-service backend-id="p" />\n            <forward-request timeout-ms="1500" buffer-request-body="true" />\n        </retry>');
    expect(rewritePolicy(retried, { backendId: 'p' })).toBe(rewritePolicy(base, { backendId: 'p' }));
    const user = '<policies><inbound><base /></inbound><backend><forward-request http-version="2" timeout="30" /></backend></policies>';
    expect(withoutMapping(rewritePolicy(user, { backendId: 'p', stream: true }))).toBe('<policies><inbound><base />\n<set-backend-service backend-id="p" /></inbound><backend><forward-request http-version="2" buffer-response="false" /></backend></policies>');
  });

  it('parses retry conditions that are lists of status codes only', () => {
    expect(parseRetryCondition('@(context.Response.StatusCode == 429 || context.Response.StatusCode == 503)')).toEqual([429, 503]);
    expect(parseRetryCondition('@(context.Response.StatusCode >= 500)')).toBeUndefined();
  });

  it('refuses a document without <policies>', () => {
    expect(() => rewritePolicy('<inbound />', want)).toThrow(/no <policies> element/);
  });
});
