import { describe, expect, it } from 'vitest';
import { explainTokenLimit, explainTokenMetric, ordinal } from './explain-token-limit';

describe('token policies in words', () => {
  it('says who is limited, what they get, and when', () => {
    const lines = explainTokenLimit({ tokensPerMinute: 10_000, counterKey: 'subscription', estimatePromptTokens: false, flavour: 'azure-openai' });
    expect(lines[0]).toBe('Each subscription may use 10,000 tokens/min; the 10,001st gets 429 from APIM with Retry-After, before any backend is called.');
    expect(lines.at(-1)).toBe("Exported as <azure-openai-token-limit> in the API policy's inbound section.");
  });

  it('explains a quota, a header key, an estimate and an expression the engine cannot evaluate', () => {
    const quota = explainTokenLimit({ quota: { tokens: 1_000_000, period: 'Monthly' }, counterKey: { header: 'x-tenant' }, estimatePromptTokens: true, flavour: 'llm' });
    expect(quota[0]).toBe('Each value of the x-tenant header may use 1,000,000 tokens per calendar month (UTC); past that APIM answers 403 until the period ends.');
    expect(quota[1]).toMatch(/^The prompt is estimated before the call/);
    expect(quota).toContain('Note: requests without x-tenant share one counter.');
    const expr = explainTokenLimit({ tokensPerMinute: 5, counterKey: { expression: '@(context.User.Id)' }, estimatePromptTokens: false, flavour: 'azure-openai' });
    expect(expr.join(' ')).toMatch(/cannot evaluate this expression/);
  });

  it('ordinals', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 10_001, 5_002].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '10,001st', '5,002nd']);
  });

  it('explains the metric', () => {
    expect(explainTokenMetric({ dimensions: ['API ID', { name: 'tenant', header: 'x-tenant' }], flavour: 'llm' })).toMatch(/namespace API Management\) split by API ID, tenant.*<llm-emit-token-metric>/);
  });
});
