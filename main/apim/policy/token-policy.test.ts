import { describe, expect, it } from 'vitest';
import type { Api } from '../../../shared/model';
import { readTokenPolicies, rewriteTokenPolicies } from './token-policy';

const api = (over: Partial<Api>): Api => ({ path: 'openai', backend: 'pool', ...over });
const limit = { tokensPerMinute: 100, counterKey: 'ip' as const, estimatePromptTokens: false, flavour: 'azure-openai' as const };

describe('token policy rewrite', () => {
  it('leaves a matching element byte for byte, however the user formatted it', () => {
    const xml = '<policies>\n  <inbound>\n    <base />\n    <azure-openai-token-limit\n        tokens-per-minute="100"\n        counter-key="@(context.Request.IpAddress)"\n        estimate-prompt-tokens="False" />\n  </inbound>\n</policies>';
    expect(rewriteTokenPolicies(xml, api({ tokenLimit: limit }))).toBe(xml);
  });

  it('changes only the first token-limit element; a second one stays as written', () => {
    const xml = '<policies><inbound><base /><llm-token-limit counter-key="@(context.Request.IpAddress)" tokens-per-minute="5" estimate-prompt-tokens="false" /><llm-token-limit counter-key="x" token-quota="9" token-quota-period="Daily" estimate-prompt-tokens="false" /></inbound></policies>';
    expect(readTokenPolicies(xml).notes).toEqual(['2 token-limit elements: the first is imported, the others stay in APIM as they are']);
    const out = rewriteTokenPolicies(xml, api({ tokenLimit: { ...limit, flavour: 'llm' } }));
    expect(out).toBe(xml.replace('tokens-per-minute="5"', 'tokens-per-minute="100"'));
  });

  it('removes an element right after <base /> and inserts another at the same place without mangling either', () => {
    const xml = '<policies>\n    <inbound>\n        <base />\n        <azure-openai-emit-token-metric>\n            <dimension name="API ID" />\n        </azure-openai-emit-token-metric>\n        <set-backend-service backend-id="pool" />\n    </inbound>\n</policies>';
    const out = rewriteTokenPolicies(xml, api({ tokenLimit: limit }));
    expect(out).toBe('<policies>\n    <inbound>\n        <base />\n        <azure-openai-token-limit counter-key="@(context.Request.IpAddress)" tokens-per-minute="100" estimate-prompt-tokens="false" />\n        <set-backend-service backend-id="pool" />\n    </inbound>\n</policies>');
  });

  it('reads a dimension whose value is not a header expression as { name, value }, and a non-numeric limit with a note', () => {
    const t = readTokenPolicies('<policies><inbound><azure-openai-token-limit counter-key="k" tokens-per-minute="@(5)" estimate-prompt-tokens="true" /><azure-openai-emit-token-metric><dimension name="Client IP" value="@(context.Request.IpAddress)" /></azure-openai-emit-token-metric></inbound></policies>');
    expect(t.tokenLimit).toEqual({ counterKey: { expression: 'k' }, estimatePromptTokens: true, flavour: 'azure-openai' });
    expect(t.notes).toEqual(['<azure-openai-token-limit> tokens-per-minute="@(5)" is not a whole number; the workspace leaves it out']);
    expect(t.tokenMetric).toEqual({ dimensions: [{ name: 'Client IP', value: '@(context.Request.IpAddress)' }], flavour: 'azure-openai' });
  });
});
