import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateWorkspaceText } from '../model';
import { apiPolicyXml } from './policy';

/*
 * Golden token policies, and each written attribute checked against the policy reference's statement (Learn,
 * llm-token-limit / azure-openai-token-limit 11/17/2025, azure-openai-emit-token-metric 07/09/2024).
 * Regenerate with UPDATE_GOLDEN=1 and review the diff.
 */

// The policy statement's attributes, in its order (both flavours have the same set).
const LIMIT_ATTRIBUTES = [
  'counter-key', 'tokens-per-minute', 'token-quota', 'token-quota-period', 'estimate-prompt-tokens', 'retry-after-header-name', 'retry-after-variable-name',
  'remaining-quota-tokens-header-name', 'remaining-quota-tokens-variable-name', 'remaining-tokens-header-name', 'remaining-tokens-variable-name',
  'tokens-consumed-header-name', 'tokens-consumed-variable-name',
];
const LIMIT_REQUIRED = ['counter-key', 'estimate-prompt-tokens'];
const PERIODS = ['Hourly', 'Daily', 'Weekly', 'Monthly', 'Yearly'];
const DEFAULT_DIMENSIONS = ['API ID', 'Operation ID', 'Product ID', 'User ID', 'Subscription ID', 'Location', 'Gateway ID'];

const workspace = (flavour: 'azure-openai' | 'llm') => `
version: 1
backends:
  aoai: { url: https://a.openai.azure.com/openai }
apis:
  chat:
    path: openai
    backend: aoai
    tokenLimit:
      tokensPerMinute: 10000
      quota: { tokens: 1000000, period: Monthly }
      counterKey: { header: x-tenant }
      estimatePromptTokens: true
      flavour: ${flavour}
      retryAfterHeader: x-retry-after
      remainingTokensHeader: x-remaining-tokens
      remainingQuotaTokensHeader: x-remaining-quota
      tokensConsumedHeader: x-tokens-consumed
    tokenMetric:
      namespace: openai
      flavour: ${flavour}
      dimensions: [API ID, Subscription ID, { name: tenant, header: x-tenant }, { name: Client IP, value: "@(context.Request.IpAddress)" }]
`;

function policy(flavour: 'azure-openai' | 'llm'): string {
  const r = validateWorkspaceText(workspace(flavour));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return apiPolicyXml(r.workspace, 'chat');
}

const attrsOf = (tag: string) => [...tag.matchAll(/\s([a-z-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!] as const);

describe.each(['azure-openai', 'llm'] as const)('%s token policies', (flavour) => {
  const xml = policy(flavour);

  it('match the golden file', () => {
    const path = join(process.cwd(), 'test', 'golden', `token-policy.${flavour}.xml`);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, xml);
    expect(existsSync(path), `${path} is missing: run with UPDATE_GOLDEN=1`).toBe(true);
    expect(xml).toBe(readFileSync(path, 'utf8'));
  });

  it('put the limit in <inbound> with only documented attributes, in the statement order, the required ones present', () => {
    const inbound = xml.slice(xml.indexOf('<inbound>'), xml.indexOf('</inbound>'));
    const tag = new RegExp(`<${flavour}-token-limit[^>]*/>`).exec(inbound)?.[0];
    expect(tag, 'token limit element in inbound').toBeDefined();
    const names = attrsOf(tag!).map(([n]) => n);
    for (const n of names) expect(LIMIT_ATTRIBUTES).toContain(n);
    expect(names).toEqual([...names].sort((a, b) => LIMIT_ATTRIBUTES.indexOf(a) - LIMIT_ATTRIBUTES.indexOf(b)));
    for (const n of LIMIT_REQUIRED) expect(names).toContain(n);
    const values = Object.fromEntries(attrsOf(tag!));
    expect(PERIODS).toContain(values['token-quota-period']);
    expect(values['estimate-prompt-tokens']).toMatch(/^(true|false)$/);
    expect(values['tokens-per-minute']).toMatch(/^\d+$/);
  });

  it('put the metric in <inbound>: namespace attribute, dimensions with a value unless a default name', () => {
    const inbound = xml.slice(xml.indexOf('<inbound>'), xml.indexOf('</inbound>'));
    const el = `${flavour}-emit-token-metric`;
    const block = new RegExp(`<${el}([^>]*)>([\\s\\S]*?)</${el}>`).exec(inbound);
    expect(block).not.toBeNull();
    expect(attrsOf(block![1]!).map(([n]) => n)).toEqual(['namespace']);
    const dims = [...block![2]!.matchAll(/<dimension([^>]*)\/>/g)].map((m) => Object.fromEntries(attrsOf(m[1]!)));
    expect(dims.length).toBe(4);
    for (const d of dims) {
      expect(Object.keys(d).every((k) => k === 'name' || k === 'value')).toBe(true);
      if (!('value' in d)) expect(DEFAULT_DIMENSIONS).toContain(d.name);
    }
  });
});

describe('validation with the limits the reference documents', () => {
  const check = (apiYaml: string) => validateWorkspaceText(`version: 1\nbackends:\n  b: { url: https://b.example.com }\napis:\n  a:\n    path: p\n    backend: b\n${apiYaml}`);
  const errors = (apiYaml: string) => {
    const r = check(apiYaml);
    return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
  };

  it('names the field for each bad input', () => {
    expect(errors('    tokenLimit: { counterKey: ip }')).toEqual(['apis.a.tokenLimit.tokensPerMinute: set tokensPerMinute, quota, or both']);
    expect(errors('    tokenLimit: { counterKey: ip, quota: { tokens: 5, period: Minutely } }')[0]).toMatch(/^apis\.a\.tokenLimit\.quota\.period: must be one of Hourly, Daily, Weekly, Monthly, Yearly/);
    expect(errors('    tokenMetric: { dimensions: [Tenant] }')[0]).toMatch(/^apis\.a\.tokenMetric\.dimensions\[0\]: /);
    expect(errors('    tokenMetric: { namespace: "@(x)", dimensions: [API ID] }')[0]).toMatch(/^apis\.a\.tokenMetric\.namespace: policy expressions are not allowed/);
    const eleven = Array.from({ length: 11 }, (_, i) => `{ name: d${i}, value: v }`).join(', ');
    expect(errors(`    tokenMetric: { dimensions: [${eleven}] }`)).toEqual(['apis.a.tokenMetric.dimensions: at most 10 custom dimensions (policy reference)']);
    expect(errors('    tokenMetric: { dimensions: [API ID, API ID] }')).toEqual(['apis.a.tokenMetric.dimensions: dimension names must be unique']);
    expect(errors('    tokenMetric: { dimensions: [{ name: t, header: x-t, value: v }] }')[0]).toMatch(/exactly one of header or value/);
  });

  it('warns when the engine cannot evaluate a counter-key expression locally', () => {
    const r = check('    tokenLimit: { tokensPerMinute: 10, counterKey: { expression: "@(context.User.Id)" } }');
    expect(r.ok).toBe(true);
    expect(r.ok && r.warnings.map((w) => w.path)).toContain('apis.a.tokenLimit.counterKey.expression');
  });
});
