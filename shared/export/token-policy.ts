import type { Api, MetricDimension, TokenLimit, TokenMetric } from '../model/schema';
import { counterKeyExpression } from '../semantics/token-key';

/*
 * The token policies in the API policy's `inbound` section (Learn: "Policy sections: inbound"), written with the
 * attributes in the order of the policy statement, for the flavour the API chose: azure-openai-token-limit /
 * llm-token-limit and azure-openai-emit-token-metric / llm-emit-token-metric (same attribute sets).
 */

const xmlAttr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const tokenLimitElement = (flavour: TokenLimit['flavour']) => (flavour === 'llm' ? 'llm-token-limit' : 'azure-openai-token-limit');
export const tokenMetricElement = (flavour: TokenMetric['flavour']) => (flavour === 'llm' ? 'llm-emit-token-metric' : 'azure-openai-emit-token-metric');

/** Workspace field ↔ policy attribute, in the policy statement's order (import reads the same table back). */
export const TOKEN_LIMIT_HEADER_ATTRIBUTES = [
  ['retryAfterHeader', 'retry-after-header-name'],
  ['remainingQuotaTokensHeader', 'remaining-quota-tokens-header-name'],
  ['remainingTokensHeader', 'remaining-tokens-header-name'],
  ['tokensConsumedHeader', 'tokens-consumed-header-name'],
] as const;

/** The token-limit element's attributes as [name, value] pairs (estimate-prompt-tokens is required: always written). */
export function tokenLimitAttributes(t: TokenLimit): [string, string][] {
  const a: [string, string][] = [['counter-key', counterKeyExpression(t.counterKey)]];
  if (t.tokensPerMinute !== undefined) a.push(['tokens-per-minute', String(t.tokensPerMinute)]);
  if (t.quota) a.push(['token-quota', String(t.quota.tokens)], ['token-quota-period', t.quota.period]);
  a.push(['estimate-prompt-tokens', String(t.estimatePromptTokens)]);
  for (const [field, attr] of TOKEN_LIMIT_HEADER_ATTRIBUTES) {
    const v = t[field];
    if (v !== undefined) a.push([attr, v]);
  }
  return a;
}

/** A dimension's attributes: a default name alone, or a name with a value (a header becomes the expression). */
export function dimensionAttributes(d: MetricDimension): [string, string][] {
  if (typeof d === 'string') return [['name', d]];
  const value = d.header !== undefined ? `@(context.Request.Headers.GetValueOrDefault("${d.header}", ""))` : d.value!;
  return [
    ['name', d.name],
    ['value', value],
  ];
}

const attrs = (pairs: [string, string][]) => pairs.map(([k, v]) => ` ${k}="${xmlAttr(v)}"`).join('');

export function tokenLimitXml(t: TokenLimit, indent: string): string {
  return `${indent}<${tokenLimitElement(t.flavour)}${attrs(tokenLimitAttributes(t))} />`;
}

export function tokenMetricXml(m: TokenMetric, indent: string): string[] {
  const el = tokenMetricElement(m.flavour);
  const ns = m.namespace !== undefined ? attrs([['namespace', m.namespace]]) : '';
  return [`${indent}<${el}${ns}>`, ...m.dimensions.map((d) => `${indent}    <dimension${attrs(dimensionAttributes(d))} />`), `${indent}</${el}>`];
}

/** The `inbound` lines for an API's token limit and token metric (none when it has neither). */
export function tokenPolicyLines(api: Api, indent = '        '): string[] {
  const out: string[] = [];
  if (api.tokenLimit) out.push(tokenLimitXml(api.tokenLimit, indent));
  if (api.tokenMetric) out.push(...tokenMetricXml(api.tokenMetric, indent));
  return out;
}
