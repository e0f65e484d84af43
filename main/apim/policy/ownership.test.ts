import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { noResponseChoose } from '../../../shared/export/no-response-errors';
import { readableForwardValue, rewritePolicy, type DesiredWiring } from './rewrite';
import { readWiring } from './wiring';

/*
 * Policies that route or forward where Breakerboard does not write (reported by a review against public policies:
 * the landing zone's include-fragment, the AI-Gateway model-routing choose, limit-concurrency around
 * forward-request). Apply must refuse them by name rather than write a second forward-request (every request sent
 * twice) or a set-backend-service a later one overrides (the plan would name a route APIM does not take). Also:
 * empty sections written `<inbound />`, owned attributes the workspace cannot hold, CRLF documents.
 */

const RETRY: DesiredWiring = { backendId: 'p', retry: { count: 1, on: [429] } };
/** With the on-error mapping already there, so only the sections under test change. */
const ON_ERROR = `    <on-error>\n        <base />\n        ${noResponseChoose('        ')}\n    </on-error>`;
const doc = (inbound: string, backend: string) => `<policies>\n    <inbound>\n        <base />\n${inbound}\n    </inbound>\n    <backend>\n${backend}\n    </backend>\n${ON_ERROR}\n</policies>`;
const SBS = '        <set-backend-service backend-id="p" />';

describe('rewritePolicy refuses a policy that forwards where Breakerboard does not write', () => {
  const cases: [string, string, string][] = [
    ['an include-fragment (it may forward)', '        <include-fragment fragment-id="retry-with-payg" />', '<include-fragment> at line 7, column 9'],
    ['a choose that forwards', '        <choose>\n            <when condition="@(true)">\n                <forward-request />\n            </when>\n        </choose>', '<forward-request> at line 9, column 17 (inside <when>)'],
    ['limit-concurrency around forward-request', '        <limit-concurrency key="k" max-count="3">\n            <forward-request />\n        </limit-concurrency>', '<forward-request> at line 8, column 13 (inside <limit-concurrency>)'],
    ['a retry nested in a retry', '        <retry condition="@(true)" count="1">\n            <retry condition="@(true)" count="1">\n                <forward-request />\n            </retry>\n        </retry>', '<forward-request> at line 9, column 17 (inside <retry>)'],
    ['a retry whose only child is an include-fragment', '        <retry condition="@(true)" count="1">\n            <include-fragment fragment-id="f" />\n        </retry>', '<include-fragment> at line 8, column 13 (inside <retry>)'],
    ['a base beside a forward-request', '        <base />\n        <forward-request />', '<forward-request> at line 8, column 9'],
  ];
  for (const [what, backend, named] of cases) {
    it(`with a retry to write: ${what}`, () => {
      expect(() => rewritePolicy(doc(SBS, backend), RETRY)).toThrow(`its <backend> also forwards (or may) through ${named}, so with Breakerboard's forward-request each request could go to the backend twice`);
    });
  }

  it('with only a timeout to write, too; with nothing to write in <backend>, the policy is edited elsewhere as usual', () => {
    const fragment = doc(SBS, '        <include-fragment fragment-id="retry-with-payg" />');
    expect(() => rewritePolicy(fragment, { backendId: 'p', timeout: 'PT30S' })).toThrow('<include-fragment> at line 7, column 9');
    const out = rewritePolicy(fragment, { backendId: 'q' });
    expect(out).toContain('<set-backend-service backend-id="q" />');
    expect(out).toContain('<backend>\n        <include-fragment fragment-id="retry-with-payg" />\n    </backend>');
  });

  it('with a retry that forwards once, or one base / forward-request, it writes as before', () => {
    for (const backend of ['        <base />', '        <forward-request />', '        <retry condition="@(true)" count="2">\n            <forward-request />\n        </retry>']) {
      const out = rewritePolicy(doc(SBS, backend), RETRY);
      expect(readWiring(out)).toMatchObject({ backendId: 'p', retry: { count: 1, on: [429], atOnce: true }, retryReselects: true });
      expect(out.match(/<forward-request/g)).toHaveLength(1);
    }
  });
});

describe('rewritePolicy refuses a policy whose route another set-backend-service decides', () => {
  it('one inside a choose in <inbound> (model routing), a second one in <inbound>, one in <backend>', () => {
    const refusal = "also sets the backend, so Breakerboard's set-backend-service would not decide the route";
    const inChoose = doc('        <choose>\n            <when condition="@(true)">\n                <set-backend-service backend-id="old" />\n            </when>\n        </choose>', '        <base />');
    expect(() => rewritePolicy(inChoose, { backendId: 'p' })).toThrow(`<set-backend-service> at line 6, column 17 (inside <when>) ${refusal}`);
    expect(() => rewritePolicy(doc(`${SBS}\n        <set-backend-service backend-id="other" />`, '        <base />'), { backendId: 'p' })).toThrow(`<set-backend-service> at line 5, column 9 ${refusal}`);
    expect(() => rewritePolicy(doc(SBS, '        <set-backend-service backend-id="old" />\n        <forward-request />'), { backendId: 'p' })).toThrow(`<set-backend-service> at line 7, column 9 ${refusal}`);
  });

  it("takes Breakerboard's own copy inside the retry for its own", () => {
    const ours = doc(SBS, '        <retry condition="@(context.Response.StatusCode == 429)" count="1" interval="0" first-fast-retry="true">\n            <set-backend-service backend-id="old" />\n            <forward-request buffer-request-body="true" />\n        </retry>');
    expect(readWiring(rewritePolicy(ours, RETRY))).toMatchObject({ backendId: 'p', retryReselects: true });
  });
});

describe('rewritePolicy on sections written empty, and on values the workspace cannot hold', () => {
  it('opens <inbound /> and <backend /> to hold ours, without adding a <base /> they left out on purpose', () => {
    const xml = '<policies>\n    <inbound />\n    <backend />\n    <outbound />\n</policies>';
    const out = rewritePolicy(xml, RETRY);
    expect(XMLValidator.validate(out)).toBe(true);
    expect(out).toContain('<inbound>\n        <set-backend-service backend-id="p" />\n    </inbound>');
    expect(out).toContain('<backend>\n        <retry condition="@(context.Response.StatusCode == 429)" count="1" interval="0" first-fast-retry="true">');
    // (The on-error section it adds has one: with no section, the outer scope's applied, which <base /> keeps.)
    expect(out.split('<on-error>')[0]!.match(/<base \/>/g)).toBeNull();
    expect(readWiring(out)).toMatchObject({ backendId: 'p', retry: { count: 1 } });
    expect(rewritePolicy(out, RETRY)).toBe(out);
    // Nothing for <backend> to hold: it stays empty.
    expect(rewritePolicy(xml, { backendId: 'p' })).toContain('<backend />');
  });

  it('keeps a forward-request timeout or buffer-response it cannot read while the workspace sets none, and replaces it when it does', () => {
    const fwd = (attrs: string) => doc(SBS, `        <forward-request ${attrs} />`);
    const named = fwd('timeout="{{aoai-timeout}}" buffer-response="@(context.Variables.GetValueOrDefault&lt;bool&gt;(&quot;b&quot;))"');
    expect(rewritePolicy(named, { backendId: 'p' })).toBe(named);
    expect(rewritePolicy(named, { backendId: 'p', timeout: 'PT30S' })).toBe(fwd('timeout="30" buffer-response="@(context.Variables.GetValueOrDefault&lt;bool&gt;(&quot;b&quot;))"'));
    expect(rewritePolicy(fwd('timeout-ms="@(500)"'), { backendId: 'p', stream: true })).toBe(fwd('timeout-ms="@(500)" buffer-response="false"'));
    // Values it can read and the workspace does not set go, as before.
    expect(rewritePolicy(fwd('timeout="90" buffer-response="true"'), { backendId: 'p' })).toBe(doc(SBS, '        <forward-request />'));
  });

  it('edits a CRLF document as CRLF throughout, and gives an unchanged one back byte for byte', () => {
    const lf = doc(SBS, '        <base />');
    const crlf = lf.replace(/\n/g, '\r\n');
    const out = rewritePolicy(crlf, RETRY);
    expect(out).toBe(rewritePolicy(lf, RETRY).replace(/\n/g, '\r\n'));
    expect(out).not.toMatch(/(?<!\r)\n|\r(?!\n)/);
    expect(rewritePolicy(out, RETRY)).toBe(out);
    // A document that mixes both is edited as it is.
    const mixed = `${crlf}\n`;
    expect(rewritePolicy(mixed, RETRY).startsWith('<policies>\r\n')).toBe(true);
  });

  it('writes the on-error mapping into an on-error section whose only copy of it is commented out', () => {
    const xml = `<policies>\n    <inbound>\n        <base />\n${SBS}\n    </inbound>\n    <on-error>\n        <base />\n        <!-- ${noResponseChoose('        ')} -->\n    </on-error>\n</policies>`;
    expect(readWiring(xml).noResponseErrors).toBeUndefined();
    expect(readWiring(rewritePolicy(xml, { backendId: 'p' })).noResponseErrors).toBe('502 BackendUnavailable, 504 BackendTimeout');
  });
});

describe('what counts as read, and which place is named', () => {
  it('reads whole digits for the timeouts and true / false for buffer-response; absent counts as read', () => {
    const read = (name: string, values: string[]) => values.map((v) => readableForwardValue(name, v));
    expect(read('timeout', ['', '30', 'x30', '30x', '{{t}}'])).toEqual([true, true, false, false, false]);
    expect(read('timeout-ms', ['500', '5.5'])).toEqual([true, false]);
    expect(read('buffer-response', [' False ', 'true', 'xfalse', 'falsex', '{{b}}', '30'])).toEqual([true, true, false, false, false, false]);
  });

  it('names the first other forwarding place in document order, and finds the retry whatever comes before it', () => {
    const backend = '        <include-fragment fragment-id="f" />\n        <choose>\n            <when condition="@(true)">\n                <forward-request />\n            </when>\n        </choose>';
    expect(() => rewritePolicy(doc(SBS, backend), RETRY)).toThrow('through <include-fragment> at line 7, column 9,');
    const afterOther = doc(SBS, '        <set-variable name="v" value="1" />\n        <retry condition="@(true)" count="1">\n            <set-backend-service backend-id="p" />\n            <forward-request />\n        </retry>');
    expect(readWiring(rewritePolicy(afterOther, RETRY))).toMatchObject({ backendId: 'p', retryReselects: true, retry: { count: 1 } });
  });
});
