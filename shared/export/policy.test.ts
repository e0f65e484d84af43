import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { demoWorkspace, valid, workspaceWith } from '../../test/support/workspace-arbitrary';
import type { Workspace } from '../model';
import { NO_RESPONSE_ERRORS } from './no-response-errors';
import { apiPolicyXml, retryCondition } from './policy';

/* The API policy XML (APIM-SEMANTICS §5 and B8): well-formed, backend-id, immediate retry, buffered body. */

type Element = Record<string, unknown>;
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', allowBooleanAttributes: true });


/** Well-formed (fast-xml-parser's validator), then parsed to `policies`. */
function policyOf(ws: Workspace, apiId: string): Element {
  const xml = apiPolicyXml(ws, apiId);
  expect(XMLValidator.validate(xml)).toBe(true);
  return (parser.parse(xml) as { policies: Element }).policies;
}

const section = (p: Element, name: string) => p[name] as Element;

describe('apiPolicyXml', () => {
  const demo = demoWorkspace();

  it('routes the demo api to its pool with an immediate retry that buffers the body', () => {
    const p = policyOf(demo, 'azure-openai');
    expect(section(p, 'inbound')['set-backend-service']).toEqual({ '@backend-id': 'mybackendpool' });
    expect(section(p, 'inbound')).toHaveProperty('base');
    const retry = section(p, 'backend').retry as Element;
    expect(retry).toMatchObject({
      '@count': '1',
      '@interval': '0',
      '@first-fast-retry': 'true',
      '@condition': '@(context.Response.StatusCode == 429 || context.Response.StatusCode == 503)',
      'forward-request': { '@buffer-request-body': 'true' },
    });
    expect(section(p, 'inbound')).not.toHaveProperty('authentication-managed-identity');
    for (const s of ['outbound', 'on-error']) expect(section(p, s)).toHaveProperty('base');
  });

  it('writes the retry count and codes of the api', () => {
    const ws = valid(workspaceWith({ 'apis.a1.retry': { count: 7, on: [500, 502, 429] } }));
    const retry = section(policyOf(ws, 'a1'), 'backend').retry as Element;
    expect(retry['@count']).toBe('7');
    expect(retry['@condition']).toBe(retryCondition([500, 502, 429]));
    expect(retryCondition([500, 502, 429])).toBe('@(context.Response.StatusCode == 500 || context.Response.StatusCode == 502 || context.Response.StatusCode == 429)');
  });

  it('retry count 0 means no <retry> block (the policy itself needs 1-50)', () => {
    for (const ws of [valid(workspaceWith({ 'apis.a1.retry.count': 0 })), valid(workspaceWith({ 'apis.a1.retry': undefined }))]) {
      const xml = apiPolicyXml(ws, 'a1');
      expect(xml).not.toContain('<retry');
      expect(section(policyOf(ws, 'a1'), 'backend')).toEqual({ base: '' });
    }
  });

  it('managed identity adds authentication-managed-identity before set-backend-service', () => {
    const ws = valid(workspaceWith({ 'backends.b1.auth': { type: 'managed-identity' }, 'backends.b2.auth': { type: 'managed-identity' } }));
    const inbound = section(policyOf(ws, 'a1'), 'inbound');
    expect(inbound['authentication-managed-identity']).toEqual({ '@resource': 'https://cognitiveservices.azure.com' });
    const xml = apiPolicyXml(ws, 'a1');
    expect(xml.indexOf('<authentication-managed-identity')).toBeLessThan(xml.indexOf('<set-backend-service'));
  });

  it('managed identity with a resource and client id, escaped so the XML stays well-formed', () => {
    const auth = { type: 'managed-identity', resource: 'https://x.example.com/?a=1&b="2"<3>', clientId: '00000000-0000-0000-0000-000000000001' };
    const ws = valid(workspaceWith({ 'backends.b1.auth': auth, 'backends.b2.auth': auth }));
    const mi = section(policyOf(ws, 'a1'), 'inbound')['authentication-managed-identity'] as Element;
    expect(mi['@client-id']).toBe(auth.clientId);
    expect(apiPolicyXml(ws, 'a1')).toContain('resource="https://x.example.com/?a=1&amp;b=&quot;2&quot;&lt;3&gt;"');
  });

  it('managed identity on a single backend an api calls directly', () => {
    const ws = valid(workspaceWith({ 'backends.b1.auth': { type: 'managed-identity' }, 'apis.a1.backend': 'b1', 'apis.a1.retry': undefined, 'pools.p1.services': [{ backend: 'b2' }] }));
    expect(section(policyOf(ws, 'a1'), 'inbound')).toHaveProperty('authentication-managed-identity');
    expect(section(policyOf(ws, 'a1'), 'inbound')['set-backend-service']).toEqual({ '@backend-id': 'b1' });
  });

  it('F-RETRY-8: on-error keeps APIM\'s default and maps a forward-request without response to 502 / 504 with a JSON error', () => {
    const onError = section(policyOf(demo, 'azure-openai'), 'on-error');
    expect(Object.keys(onError)).toEqual(['base', 'choose']);
    const whens = (onError.choose as Element).when as Element[];
    expect(whens.map((w) => w['@condition'])).toEqual([
      '@(context.LastError.Source == "forward-request" && context.LastError.Reason == "BackendConnectionFailure")',
      '@(context.LastError.Source == "forward-request" && context.LastError.Reason == "Timeout")',
    ]);
    const answers = whens.map((w) => w['return-response'] as Element);
    expect(answers.map((a) => a['set-status'])).toEqual([{ '@code': '502', '@reason': 'Bad Gateway' }, { '@code': '504', '@reason': 'Gateway Timeout' }]);
    for (const a of answers) expect(a['set-header']).toEqual({ '@name': 'Content-Type', '@exists-action': 'override', value: 'application/json' });
    const bodies = answers.map((a) => JSON.parse(String(a['set-body'])) as { error: { code: string; message: string } });
    expect(bodies.map((b) => Object.keys(b.error))).toEqual([['code', 'message'], ['code', 'message']]);
    expect(bodies.map((b) => b.error.code)).toEqual(['BackendUnavailable', 'BackendTimeout']);
    expect(bodies.map((b) => b.error.message)).toEqual(NO_RESPONSE_ERRORS.map((e) => e.message));
    // Nothing internal reaches the client: no Breakerboard header, no backend or pool name in the words.
    const xml = apiPolicyXml(demo, 'azure-openai');
    const block = xml.slice(xml.indexOf('<on-error>'));
    expect(block).not.toMatch(/breakerboard|mybackendpool|aoai-/i);
    expect(block).not.toMatch(/\{\{|\}\}/);
  });

  it('api keys stay out of the policy (they live in the backend credentials)', () => {
    expect(apiPolicyXml(demo, 'azure-openai')).not.toMatch(/api-key|\{\{/);
  });

  it('refuses an unknown api', () => {
    expect(() => apiPolicyXml(demo, 'nope')).toThrow('no api "nope"');
    expect(() => apiPolicyXml(demo, 'toString')).toThrow('no api "toString"');
  });
});
