import type { CounterKey, TokenLimit, TokenMetric } from '../../../../shared/model/schema';
import { compileCounterKey, EVALUATED_FORMS } from '../../../../shared/semantics/token-key';

/* The token policies in words, for the editor (F-TOKEN-*): what APIM does, and what the local gateway rehearses. */

const n = (v: number) => v.toLocaleString('en-US');
const cap = (s: string) => `${s[0]!.toUpperCase()}${s.slice(1)}`;
/** 10001 → "10,001st", 12 → "12th". */
export function ordinal(v: number): string {
  const teen = v % 100 >= 11 && v % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][v % 10] ?? 'th');
  return `${n(v)}${suffix}`;
}

export function counterKeyWords(key: CounterKey): { each: string; note?: string } {
  if (key === 'subscription') return { each: 'each subscription' };
  if (key === 'ip') return { each: 'each client IP address' };
  if ('header' in key) return { each: `each value of the ${key.header} header`, note: `requests without ${key.header} share one counter` };
  const c = compileCounterKey(key);
  return c.evaluated
    ? { each: `each value of ${key.expression}` }
    : { each: `each value of ${key.expression}`, note: `the local gateway cannot evaluate this expression (it knows ${EVALUATED_FORMS}), so locally all requests share one counter` };
}

const PERIOD = { Hourly: 'hour', Daily: 'day (UTC)', Weekly: 'week (UTC, from Monday)', Monthly: 'calendar month (UTC)', Yearly: 'calendar year (UTC)' } as const;

/** Sentences that explain a token limit, first the rule, then when it answers and what the gateway rehearses. */
export function explainTokenLimit(t: TokenLimit): string[] {
  const { each, note } = counterKeyWords(t.counterKey);
  const element = t.flavour === 'llm' ? 'llm-token-limit' : 'azure-openai-token-limit';
  const out: string[] = [];
  if (t.tokensPerMinute !== undefined) {
    out.push(`${cap(each)} may use ${n(t.tokensPerMinute)} tokens/min; the ${ordinal(t.tokensPerMinute + 1)} gets 429 from APIM with ${t.retryAfterHeader ?? 'Retry-After'}, before any backend is called.`);
  }
  if (t.quota) {
    const who = t.tokensPerMinute !== undefined ? 'On top, each key' : cap(each);
    out.push(`${who} may use ${n(t.quota.tokens)} tokens per ${PERIOD[t.quota.period]}; past that APIM answers 403 until the period ends.`);
  }
  out.push(
    t.estimatePromptTokens
      ? 'The prompt is estimated before the call: a request whose estimate would go over the limit is refused without reaching a backend.'
      : 'Without estimating, usage is counted from each answer: a request below the limit goes through even if its answer takes the key over, and the following ones are refused. Streamed requests are always estimated.',
  );
  out.push('Concurrent requests can overshoot the limit for a moment: usage is only known when the answers come back.');
  if (note) out.push(`Note: ${note}.`);
  out.push(`Exported as <${element}> in the API policy's inbound section.`);
  return out;
}

export function explainTokenMetric(m: TokenMetric): string {
  const element = m.flavour === 'llm' ? 'llm-emit-token-metric' : 'azure-openai-emit-token-metric';
  const names = m.dimensions.map((d) => (typeof d === 'string' ? d : d.name)).join(', ');
  return `Prompt, completion and total tokens go to Application Insights (namespace ${m.namespace ?? 'API Management'}) split by ${names}; locally the gateway counts the same on /metrics as breakerboard_llm_tokens_total and charts them on the Monitor. Exported as <${element}>.`;
}
