import { describe, expect, it } from 'vitest';
import type { Api } from '../../../shared/model';
import { policyElementsKeptAside } from '../policy-aside';
import { ownedTokenElements, readTokenPolicies, rewriteTokenPolicies } from './token-policy';
import { child, scanXml } from './xml-scan';

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
    expect(t.notes).toEqual(['<azure-openai-token-limit> tokens-per-minute="@(5)" is not a whole number; the workspace leaves it out (kept in APIM unless the workspace sets it)']);
    expect(t.tokenMetric).toEqual({ dimensions: [{ name: 'Client IP', value: '@(context.Request.IpAddress)' }], flavour: 'azure-openai' });
  });
});

const inboundOf = (xml: string) => child(child(scanXml(xml), 'policies'), 'inbound');
const doc = (inbound: string) => `<policies><inbound>${inbound}</inbound></policies>`;
const KEPT = 'not modeled by the workspace; kept in APIM (apply leaves them as they are)';

describe('token policy import reads exactly what is written, and names what it leaves out', () => {
  it('reads every modelled attribute of a token limit, and names the unmodelled ones once, in order', () => {
    const t = readTokenPolicies(
      doc(
        '<llm-token-limit counter-key="@(context.Subscription.Id)" tokens-per-minute="500" token-quota="10000" token-quota-period="Monthly" estimate-prompt-tokens="TRUE" retry-after-header-name="ra" remaining-quota-tokens-header-name="rq" remaining-tokens-header-name="rt" tokens-consumed-header-name="tc" tokens-variable-name="tv" remaining-tokens-variable-name="rv" />',
      ),
    );
    expect(t).toStrictEqual({
      notes: [`<llm-token-limit> tokens-variable-name, remaining-tokens-variable-name ${KEPT}`],
      tokenLimit: {
        counterKey: 'subscription',
        tokensPerMinute: 500,
        quota: { tokens: 10000, period: 'Monthly' },
        estimatePromptTokens: true,
        flavour: 'llm',
        retryAfterHeader: 'ra',
        remainingQuotaTokensHeader: 'rq',
        remainingTokensHeader: 'rt',
        tokensConsumedHeader: 'tc',
      },
    });
  });

  it('sets no field for an attribute that is absent, and notes half a quota instead of importing it', () => {
    const quotaAlone = readTokenPolicies(doc('<azure-openai-token-limit counter-key="@(context.Request.IpAddress)" token-quota="9" estimate-prompt-tokens="false" />'));
    expect(quotaAlone).toStrictEqual({
      notes: ['<azure-openai-token-limit> token-quota without token-quota-period; the workspace leaves the quota out (kept in APIM unless the workspace sets a quota)'],
      tokenLimit: { counterKey: 'ip', estimatePromptTokens: false, flavour: 'azure-openai' },
    });
    const periodAlone = readTokenPolicies(doc('<azure-openai-token-limit counter-key="k" tokens-per-minute="7" token-quota-period="Daily" estimate-prompt-tokens="false" />'));
    expect(periodAlone).toStrictEqual({
      notes: ['<azure-openai-token-limit> token-quota-period without token-quota; the workspace leaves it out (kept in APIM unless the workspace sets a quota)'],
      tokenLimit: { counterKey: { expression: 'k' }, tokensPerMinute: 7, estimatePromptTokens: false, flavour: 'azure-openai' },
    });
  });

  it('takes only whole numbers: digits around other text are not a number', () => {
    const t = readTokenPolicies(doc('<azure-openai-token-limit counter-key="k" tokens-per-minute="a5" token-quota="5a" token-quota-period="Daily" estimate-prompt-tokens="false" />'));
    expect(t).toStrictEqual({
      notes: [
        '<azure-openai-token-limit> tokens-per-minute="a5" is not a whole number; the workspace leaves it out (kept in APIM unless the workspace sets it)',
        '<azure-openai-token-limit> token-quota="5a" is not a whole number; the workspace leaves it out (kept in APIM unless the workspace sets it)',
      ],
      tokenLimit: { counterKey: { expression: 'k' }, estimatePromptTokens: false, flavour: 'azure-openai' },
    });
  });

  it('imports no limit without a counter-key, and notes the second token metric', () => {
    expect(readTokenPolicies(doc('<azure-openai-token-limit tokens-per-minute="5" />'))).toStrictEqual({ notes: ['<azure-openai-token-limit> has no counter-key; not imported'] });
    const two = readTokenPolicies(doc('<llm-emit-token-metric><dimension name="Location" /></llm-emit-token-metric><llm-emit-token-metric namespace="b"><dimension name="API ID" /></llm-emit-token-metric>'));
    expect(two).toStrictEqual({
      notes: ['2 emit-token-metric elements: the first is imported, the others stay in APIM as they are'],
      tokenMetric: { dimensions: ['Location'], flavour: 'llm' },
    });
  });

  it('reads each dimension form, only <dimension> children, and the namespace; names unmodelled metric attributes', () => {
    const t = readTokenPolicies(
      doc(
        '<azure-openai-emit-token-metric namespace="ns" value="1" extra="y"><dimension name="API ID" /><dimension name="User ID" value="@(context.User.Id)" /><dimension name="Team" value="@(context.Request.Headers.GetValueOrDefault(&quot;x-team&quot;, &quot;&quot;))" /><dimension name="Empty" /><dimension value="v" /><trace source="x" /></azure-openai-emit-token-metric>',
      ),
    );
    expect(t).toStrictEqual({
      notes: [`<azure-openai-emit-token-metric> value, extra ${KEPT}`, `<azure-openai-emit-token-metric> holds <trace>, not a <dimension>: ${KEPT}`],
      tokenMetric: {
        namespace: 'ns',
        flavour: 'azure-openai',
        dimensions: ['API ID', { name: 'User ID', value: '@(context.User.Id)' }, { name: 'Team', header: 'x-team' }, { name: 'Empty', value: '' }, { name: '', value: 'v' }],
      },
    });
  });

  it('owns the first limit and the first metric of <inbound>, each alone when the other is absent', () => {
    const xml = doc('<base /><llm-emit-token-metric><dimension name="API ID" /></llm-emit-token-metric><azure-openai-emit-token-metric><dimension name="API ID" /></azure-openai-emit-token-metric>');
    const inbound = inboundOf(xml)!;
    expect(ownedTokenElements(inbound)).toEqual([inbound.children[1]]);
    expect(ownedTokenElements(inboundOf(doc('<base /><llm-token-limit counter-key="k" tokens-per-minute="1" />')))!.map((e) => e.name)).toEqual(['llm-token-limit']);
    expect(ownedTokenElements(undefined)).toEqual([]);
    // Import names the second metric as kept aside, never the first.
    expect(policyElementsKeptAside(xml)).toEqual(['inbound: azure-openai-emit-token-metric']);
  });
});

describe('token policy rewrite keeps every byte it does not own', () => {
  const metric = { dimensions: ['API ID' as const], flavour: 'azure-openai' as const };

  it('leaves a policy without <inbound> alone when it wants no token policy, and says why it cannot add one', () => {
    const noInbound = '<policies>\n  <backend>\n    <forward-request />\n  </backend>\n</policies>';
    const closed = '<policies>\n  <inbound />\n</policies>';
    for (const xml of [noInbound, closed]) {
      expect(rewriteTokenPolicies(xml, api({}))).toBe(xml);
      expect(() => rewriteTokenPolicies(xml, api({ tokenLimit: limit }))).toThrow(/^the policy has no <inbound> section for the token policies$/);
      expect(() => rewriteTokenPolicies(xml, api({ tokenMetric: metric }))).toThrow(/^the policy has no <inbound> section for the token policies$/);
    }
  });

  it('adds both elements right after <base />, wherever <base /> is, with its indentation', () => {
    const xml = '<policies>\n\t<inbound>\n\t\t<set-variable name="a" value="1" />\n\t\t<base />\n\t\t<rate-limit calls="1" renewal-period="1" />\n\t</inbound>\n</policies>';
    expect(rewriteTokenPolicies(xml, api({ tokenLimit: limit, tokenMetric: { ...metric, namespace: 'ns' } }))).toBe(
      '<policies>\n\t<inbound>\n\t\t<set-variable name="a" value="1" />\n\t\t<base />\n\t\t<azure-openai-token-limit counter-key="@(context.Request.IpAddress)" tokens-per-minute="100" estimate-prompt-tokens="false" />\n\t\t<azure-openai-emit-token-metric namespace="ns">\n\t\t    <dimension name="API ID" />\n\t\t</azure-openai-emit-token-metric>\n\t\t<rate-limit calls="1" renewal-period="1" />\n\t</inbound>\n</policies>',
    );
  });

  it('adds the element first in an <inbound> without <base />, one step deeper than the section', () => {
    const xml = '<policies>\n  <inbound>\n    <rate-limit calls="1" renewal-period="1" />\n  </inbound>\n</policies>';
    expect(rewriteTokenPolicies(xml, api({ tokenLimit: limit }))).toBe(
      '<policies>\n  <inbound>\n      <azure-openai-token-limit counter-key="@(context.Request.IpAddress)" tokens-per-minute="100" estimate-prompt-tokens="false" />\n    <rate-limit calls="1" renewal-period="1" />\n  </inbound>\n</policies>',
    );
  });

  it('rewrites a changed element in place with all its unmodelled attributes, and leaves a matching metric as the user formatted it', () => {
    const xml =
      "<policies>\n  <inbound>\n    <base />\n    <azure-openai-token-limit counter-key=\"@(context.Request.IpAddress)\" tokens-per-minute=\"5\" estimate-prompt-tokens=\"false\" tokens-variable-name=\"tv\" remaining-tokens-variable-name=\"r&amp;v\" />\n    <azure-openai-emit-token-metric namespace='ns'>\n      <dimension name=\"API ID\"/>\n    </azure-openai-emit-token-metric>\n  </inbound>\n</policies>";
    expect(rewriteTokenPolicies(xml, api({ tokenLimit: limit, tokenMetric: { ...metric, namespace: 'ns' } }))).toBe(
      xml.replace('tokens-per-minute="5"', 'tokens-per-minute="100"'),
    );
    // The metric changes too: rewritten at its own indentation, its unmodelled attributes kept.
    // Their bytes are kept as written: single quotes and entities included (`&apos;` is not turned into `'`).
    const withValue = xml.replace("namespace='ns'", 'value="1" namespace="ns" extra=\'e&apos;s\'');
    expect(rewriteTokenPolicies(withValue, api({ tokenLimit: limit, tokenMetric: { ...metric, namespace: 'ns2' } }))).toBe(
      withValue
        .replace('tokens-per-minute="5"', 'tokens-per-minute="100"')
        .replace('<azure-openai-emit-token-metric value="1" namespace="ns" extra=\'e&apos;s\'>\n      <dimension name="API ID"/>\n    </azure-openai-emit-token-metric>', '<azure-openai-emit-token-metric namespace="ns2" value="1" extra=\'e&apos;s\'>\n        <dimension name="API ID" />\n    </azure-openai-emit-token-metric>'),
    );
  });

  it("keeps a metric's elements that are not dimensions, as written, when it rewrites the metric, and import names them", () => {
    const xml = '<policies>\n  <inbound>\n    <base />\n    <azure-openai-emit-token-metric namespace="ns">\n      <dimension name="API ID" />\n      <custom-thing a=\'1\'>x</custom-thing>\n    </azure-openai-emit-token-metric>\n  </inbound>\n</policies>';
    expect(readTokenPolicies(xml).notes).toContain('<azure-openai-emit-token-metric> holds <custom-thing>, not a <dimension>: not modeled by the workspace; kept in APIM (apply leaves them as they are)');
    expect(rewriteTokenPolicies(xml, api({ tokenMetric: { ...metric, namespace: 'ns2' } }))).toBe(
      '<policies>\n  <inbound>\n    <base />\n    <azure-openai-emit-token-metric namespace="ns2">\n        <dimension name="API ID" />\n        <custom-thing a=\'1\'>x</custom-thing>\n    </azure-openai-emit-token-metric>\n  </inbound>\n</policies>',
    );
  });

  it("keeps the user's comments in a metric it rewrites, in their order among the kept elements, and not twice", () => {
    const xml = '<policies>\n  <inbound>\n    <base />\n    <azure-openai-emit-token-metric namespace="ns">\n      <!-- per API -->\n      <dimension name="API ID" />\n      <custom-thing><!-- inside --></custom-thing>\n      <!-- last -->\n    </azure-openai-emit-token-metric>\n  </inbound>\n</policies>';
    expect(rewriteTokenPolicies(xml, api({ tokenMetric: { ...metric, namespace: 'ns2' } }))).toBe(
      '<policies>\n  <inbound>\n    <base />\n    <azure-openai-emit-token-metric namespace="ns2">\n        <dimension name="API ID" />\n        <!-- per API -->\n        <custom-thing><!-- inside --></custom-thing>\n        <!-- last -->\n    </azure-openai-emit-token-metric>\n  </inbound>\n</policies>',
    );
  });

  it('removes an element that shares its line with <base /> without taking <base /> along', () => {
    const xml = '<policies>\n  <inbound>\n    <base /><azure-openai-token-limit counter-key="k" tokens-per-minute="1" estimate-prompt-tokens="false" />\n  </inbound>\n</policies>';
    expect(rewriteTokenPolicies(xml, api({}))).toBe('<policies>\n  <inbound>\n    <base />\n  </inbound>\n</policies>');
  });
});

describe('a rewrite never removes a limit attribute import could not hold', () => {
  const el = (attrs: string) => `<policies><inbound><base /><azure-openai-token-limit counter-key="@(context.Request.IpAddress)" ${attrs} estimate-prompt-tokens="false" /></inbound></policies>`;
  const out = (attrs: string) => `<policies><inbound><base /><azure-openai-token-limit counter-key="@(context.Request.Headers.GetValueOrDefault(&quot;x-user&quot;, &quot;&quot;))" ${attrs} /></inbound></policies>`;
  const byHeader = { counterKey: { header: 'x-user' }, estimatePromptTokens: false, flavour: 'azure-openai' as const };

  it('an expression as tokens-per-minute stays when the counter key changes, and goes when the workspace sets a number', () => {
    const xml = el('tokens-per-minute="@(context.Subscription.Id == &quot;a&quot; ? 100 : 10)"');
    expect(rewriteTokenPolicies(xml, api({ tokenLimit: byHeader }))).toBe(out('estimate-prompt-tokens="false" tokens-per-minute="@(context.Subscription.Id == &quot;a&quot; ? 100 : 10)"'));
    expect(rewriteTokenPolicies(xml, api({ tokenLimit: { ...byHeader, tokensPerMinute: 50 } }))).toBe(out('tokens-per-minute="50" estimate-prompt-tokens="false"'));
  });

  it('half a quota stays until the workspace sets a quota; a whole-number limit the workspace dropped goes', () => {
    expect(rewriteTokenPolicies(el('token-quota="900"'), api({ tokenLimit: byHeader }))).toBe(out('estimate-prompt-tokens="false" token-quota="900"'));
    expect(rewriteTokenPolicies(el('token-quota-period="Daily"'), api({ tokenLimit: byHeader }))).toBe(out('estimate-prompt-tokens="false" token-quota-period="Daily"'));
    expect(rewriteTokenPolicies(el('token-quota="9x" token-quota-period="Daily"'), api({ tokenLimit: byHeader }))).toBe(out('estimate-prompt-tokens="false" token-quota="9x" token-quota-period="Daily"'));
    // Ends in digits but is no whole number (the whole value must be digits).
    expect(rewriteTokenPolicies(el('tokens-per-minute="1e5"'), api({ tokenLimit: byHeader }))).toBe(out('estimate-prompt-tokens="false" tokens-per-minute="1e5"'));
    expect(rewriteTokenPolicies(el('token-quota="900"'), api({ tokenLimit: { ...byHeader, quota: { tokens: 5, period: 'Hourly' } } }))).toBe(out('token-quota="5" token-quota-period="Hourly" estimate-prompt-tokens="false"'));
    expect(rewriteTokenPolicies(el('tokens-per-minute="100" token-quota="5" token-quota-period="Hourly"'), api({ tokenLimit: byHeader }))).toBe(out('estimate-prompt-tokens="false"'));
  });
});
