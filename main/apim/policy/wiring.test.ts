import { describe, expect, it } from 'vitest';
import { parseRetryCondition, readWiring } from './wiring';

/*
 * readWiring is what plans and imports see of a deployed policy: whole results are compared strictly (no key that is
 * there with `undefined`), and the readers accept exactly the shapes the rewrite writes, nothing looser.
 */

const NO_TOKENS = { tokenLimit: undefined, tokenMetric: undefined };
const policy = (inbound: string, backend: string) => `<policies><inbound>${inbound}</inbound><backend>${backend}</backend></policies>`;

describe('parseRetryCondition', () => {
  it('reads status-code lists however they are spaced, the expression trimmed', () => {
    expect(parseRetryCondition('  @(context.Response.StatusCode==429 ||  context.Response.StatusCode   ==   503)\n')).toEqual([429, 503]);
    expect(parseRetryCondition('@(\n    context.Response.StatusCode == 500\n)')).toEqual([500]);
  });

  it('refuses anything else around the expression or inside a term', () => {
    for (const condition of [
      'x@(context.Response.StatusCode == 429)',
      '@(context.Response.StatusCode == 429);',
      '@(context.Request.Method == "POST" && context.Response.StatusCode == 429)',
      '@(context.Response.StatusCode == 429 && context.Request.Method == "POST")',
      '@(context.Response.StatusCode == 4290)',
      '@(context.Response.StatusCode == 429 || context.Response.StatusCode >= 500)',
    ]) {
      expect(parseRetryCondition(condition), condition).toBeUndefined();
    }
  });
});

describe('readWiring', () => {
  it('reads a retry without attributes as empty texts, not as numbers', () => {
    expect(readWiring(policy('<base />', '<retry><forward-request /></retry>'))).toStrictEqual({
      retry: { count: NaN, on: undefined, condition: '', countText: '', timing: '', atOnce: false },
      retryReselects: false,
      tokens: NO_TOKENS,
    });
  });

  it('reads the waits between tries as written, and whether the tries follow at once', () => {
    const retry = (attrs: string) => readWiring(policy('', `<retry condition="@(true)" count="1" ${attrs} />`)).retry;
    expect(retry('interval="1" delta="1" max-interval="8" first-fast-retry="false"')).toMatchObject({ timing: 'interval=1 delta=1 max-interval=8 first-fast-retry=false', atOnce: false });
    expect(retry('first-fast-retry="true" interval="0"')).toMatchObject({ timing: 'interval=0 first-fast-retry=true', atOnce: true });
    expect(retry('interval=" 0 " delta="0" max-interval="5"')).toMatchObject({ atOnce: true });
    for (const attrs of ['', 'interval="0" delta="2"', 'interval="{{wait}}"', 'delta="0"']) expect(retry(attrs)?.atOnce, attrs).toBe(false);
  });

  it('takes a retry count of plain digits only', () => {
    const count = (text: string) => readWiring(policy('', `<retry condition="@(context.Response.StatusCode == 429)" count="${text}" />`)).retry?.count;
    expect(count('12')).toBe(12);
    for (const text of ['3.5', '-1', ' 2', '1e1']) expect(count(text), text).toBeNaN();
  });

  it('reads timeout (seconds) before timeout-ms, whole digits only, and buffer-response false however spaced or cased', () => {
    const fwd = (attrs: string) => readWiring(policy('', `<forward-request ${attrs} />`));
    expect(fwd('timeout="90" timeout-ms="1500"')).toStrictEqual({ timeout: 'PT90S', tokens: NO_TOKENS });
    expect(fwd('timeout-ms="1500" buffer-response=" FALSE "')).toStrictEqual({ timeout: 'PT1.5S', stream: true, tokens: NO_TOKENS });
    expect(fwd('timeout="1.5" timeout-ms="2500"')).toStrictEqual({ timeout: 'PT2.5S', tokens: NO_TOKENS });
    expect(fwd('buffer-response="true"')).toStrictEqual({ tokens: NO_TOKENS });
    // What is no whole number is no timeout the workspace can hold: shown as written (a plan, an import note), kept by apply.
    for (const attrs of ['timeout="-5"', 'timeout=" 5"', 'timeout="5s"', 'timeout="{{aoai-timeout}}"', 'timeout-ms="-500"', 'timeout-ms="1500.5"']) {
      expect(fwd(attrs), attrs).toStrictEqual({ timeoutText: attrs, tokens: NO_TOKENS });
    }
    expect(fwd('timeout="@(30)" timeout-ms="x"')).toStrictEqual({ timeoutText: 'timeout="@(30)"', tokens: NO_TOKENS });
  });

  it('reads the managed identity only from authentication-managed-identity for Azure OpenAI', () => {
    const aoai = 'resource="https://cognitiveservices.azure.com"';
    expect(readWiring(policy(`<authentication-managed-identity ${aoai} client-id="c" />`, ''))).toStrictEqual({
      managedIdentity: { resource: 'https://cognitiveservices.azure.com', clientId: 'c' },
      tokens: NO_TOKENS,
    });
    expect(readWiring(policy('<authentication-managed-identity resource="https://storage.azure.com" />', ''))).toStrictEqual({ tokens: NO_TOKENS });
    expect(readWiring(policy(`<my-token-fetch ${aoai} />`, ''))).toStrictEqual({ tokens: NO_TOKENS });
  });
});
