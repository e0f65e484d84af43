import { describe, expect, it } from 'vitest';
import { apiPolicyXml } from '../../../shared/export';
import { servedByExpression } from '../../../shared/export/served-by-header';
import { portalPolicy } from '../../../test/support/real-world/portal-policy';
import { demoWorkspace } from '../../../test/support/workspace-arbitrary';
import { desiredWiring, rewritePolicy } from './rewrite';
import { isServedBySetHeader, readServedBy, rewriteServedBy } from './served-by';
import { readWiring } from './wiring';
import { scanXml } from './xml-scan';

/*
 * The served-by header (F-OBS-1) as apply owns it: whole policy texts in and out, so any byte changed outside our
 * element fails the test.
 */

const EAST = 'if (u.StartsWith("https://eastus-aoai.openai.azure.com/openai")) { return "aoai-eastus"; }';
const SOUTH = 'if (u.StartsWith("https://uksouth-aoai.openai.azure.com/openai")) { return "aoai-uksouth"; }';
const want = { header: 'x-served-by', expression: servedByExpression(demoWorkspace(), 'azure-openai') };

// The longer base URL is checked first (uksouth is one character longer than eastus).
/** Our element as the export writes it, at `i` (the set-header's indent) with step `s`. */
const OURS = (i = '        ', s = '    ', name = 'x-served-by') =>
  [
    `${i}<set-header name="${name}" exists-action="override">`,
    `${i}${s}<value>@{`,
    `${i}${s}${s}var u = context.Request.Url.ToString().ToLowerInvariant();`,
    `${i}${s}${s}${SOUTH}`,
    `${i}${s}${s}${EAST}`,
    `${i}${s}${s}return u;`,
    `${i}${s}}</value>`,
    `${i}</set-header>`,
  ].join('\n');


const USER_HEADER = '        <set-header name="x-remaining" exists-action="override"><value>@(context.Variables["remainingTokens"].ToString())</value></set-header>';

describe('the served-by header in an existing policy', () => {
  it('is inserted after <base /> in <outbound>, exactly as the export writes it; a second pass changes nothing', () => {
    const out = rewriteServedBy(portalPolicy(), want);
    expect(out).toBe(portalPolicy(`    <outbound>\n        <base />\n${OURS()}\n    </outbound>\n`));
    expect(rewriteServedBy(out, want)).toBe(out);
    const userAfterBase = portalPolicy(`    <outbound>\n        <base />\n${USER_HEADER}\n    </outbound>\n`);
    expect(rewriteServedBy(userAfterBase, want)).toBe(portalPolicy(`    <outbound>\n        <base />\n${OURS()}\n${USER_HEADER}\n    </outbound>\n`));
  });

  it('goes after the last element when <outbound> has no <base />, and keeps the user elements around it', () => {
    const xml = portalPolicy(`    <outbound>\n        <!-- ours -->\n${USER_HEADER}\n    </outbound>\n`);
    expect(rewriteServedBy(xml, want)).toBe(portalPolicy(`    <outbound>\n        <!-- ours -->\n${USER_HEADER}\n${OURS()}\n    </outbound>\n`));
    expect(rewriteServedBy(portalPolicy('    <outbound>\n    </outbound>\n'), want)).toBe(portalPolicy(`    <outbound>\n${OURS()}\n    </outbound>\n`));
  });

  it('creates <outbound> (with <base />) after <backend> when the policy has none, and fills an empty <outbound />', () => {
    expect(rewriteServedBy(portalPolicy(''), want)).toBe(portalPolicy(`    <outbound>\n        <base />\n${OURS()}\n    </outbound>\n`));
    // A self-closing section drops the outer scope's outbound on purpose: no <base /> is added to it.
    expect(rewriteServedBy(portalPolicy('    <outbound />\n'), want)).toBe(portalPolicy(`    <outbound>\n${OURS()}\n    </outbound>\n`));
    const inboundOnly = '<policies>\n  <inbound>\n    <base />\n  </inbound>\n</policies>';
    // Sections come in APIM's order: a new <outbound> goes before an <on-error> when there is nothing to follow.
    expect(rewriteServedBy('<policies>\n    <on-error />\n</policies>', want)).toBe(`<policies>\n    <outbound>\n        <base />\n${OURS()}\n    </outbound>\n    <on-error />\n</policies>`);
    expect(rewriteServedBy(inboundOnly, want)).toBe(`<policies>\n  <inbound>\n    <base />\n  </inbound>\n  <outbound>\n    <base />\n${OURS('    ', '  ')}\n  </outbound>\n</policies>`);
  });

  it('goes after <base /> wherever it stands, and steps four spaces when the section is written on one line', () => {
    const baseSecond = portalPolicy(`    <outbound>\n${USER_HEADER}\n        <base />\n    </outbound>\n`);
    expect(rewriteServedBy(baseSecond, want)).toBe(portalPolicy(`    <outbound>\n${USER_HEADER}\n        <base />\n${OURS()}\n    </outbound>\n`));
    // Children on the section's own line tell no step: the export's four spaces.
    const oneLine = portalPolicy('    <outbound><base /></outbound>\n');
    expect(rewriteServedBy(oneLine, want)).toBe(portalPolicy(`    <outbound><base />\n${OURS('    ', '    ')}</outbound>\n`));
  });

  it("follows the document's own indentation (tabs)", () => {
    const xml = '<policies>\n\t<inbound>\n\t\t<base />\n\t</inbound>\n\t<outbound>\n\t\t<base />\n\t</outbound>\n</policies>';
    expect(rewriteServedBy(xml, want)).toBe(`<policies>\n\t<inbound>\n\t\t<base />\n\t</inbound>\n\t<outbound>\n\t\t<base />\n${OURS('\t\t', '\t')}\n\t</outbound>\n</policies>`);
    // An empty section: the step is the section's own beyond <policies>.
    expect(rewriteServedBy(xml.replace('\t\t<base />\n\t</outbound>', '\t</outbound>'), want)).toBe(`<policies>\n\t<inbound>\n\t\t<base />\n\t</inbound>\n\t<outbound>\n${OURS('\t\t', '\t')}\n\t</outbound>\n</policies>`);
    // A new section after <inbound>, whose children are indented by its own tab and two spaces: the step is the two
    // spaces (the indent beyond the section's, not any run that merely ends the same way).
    const mixed = '<policies>\n\t<inbound>\n\t  <base />\n\t</inbound>\n</policies>';
    expect(rewriteServedBy(mixed, want)).toBe(`<policies>\n\t<inbound>\n\t  <base />\n\t</inbound>\n\t<outbound>\n\t  <base />\n${OURS('\t  ', '  ')}\n\t</outbound>\n</policies>`);
  });

  it('updates the name, exists-action and value of ours in place, keeping its other attributes and every other byte', () => {
    const old = OURS().replace('name="x-served-by" exists-action="override"', 'id="mine" name="X-Old" exists-action="append"').replace('"aoai-uksouth"', '"gone"');
    const xml = portalPolicy(`    <outbound>\n        <base />\n${old}\n${USER_HEADER}\n    </outbound>\n`);
    const out = rewriteServedBy(xml, want);
    expect(out).toBe(portalPolicy(`    <outbound>\n        <base />\n${OURS().replace('<set-header ', '<set-header id="mine" ')}\n${USER_HEADER}\n    </outbound>\n`));
    // A missing exists-action is added after the other attributes.
    const bare = xml.replace(' exists-action="append"', '');
    expect(rewriteServedBy(bare, want)).toBe(out);
    // And both are added to a set-header that has no attributes at all.
    const none = xml.replace('<set-header id="mine" name="X-Old" exists-action="append">', '<set-header>');
    expect(rewriteServedBy(none, want)).toBe(out.replace('<set-header id="mine" ', '<set-header '));
  });

  it('leaves the text byte for byte when ours is already right, however APIM re-indented its value', () => {
    const reindented = OURS().replace(/\n {16}/g, '\n  ');
    const xml = portalPolicy(`    <outbound>\n        <base />\n${reindented}\n    </outbound>\n`);
    expect(rewriteServedBy(xml, want)).toBe(xml);
    // Single quotes and entities where the export writes neither mean the same: still nothing to change.
    const quoted = xml.replace('name="x-served-by" exists-action="override"', "name='x-served-by' exists-action='override'").replace(/StartsWith\("([^"]*)"\)/g, 'StartsWith(&quot;$1&quot;)');
    expect(quoted).not.toBe(xml);
    expect(rewriteServedBy(quoted, want)).toBe(quoted);
    expect(rewriteServedBy(xml, { ...want, header: 'x-other' })).toBe(xml.replace('name="x-served-by"', 'name="x-other"'));
  });

  it('removes ours (every copy) when the workspace has none, and only ours', () => {
    const xml = portalPolicy(`    <outbound>\n        <base />\n${OURS()}\n${USER_HEADER}\n${OURS('        ', '    ', 'x-copy')}\n    </outbound>\n`);
    expect(rewriteServedBy(xml, {})).toBe(portalPolicy(`    <outbound>\n        <base />\n${USER_HEADER}\n    </outbound>\n`));
    // A header without an expression cannot be written: it counts as none.
    expect(rewriteServedBy(xml, { header: 'x-served-by' })).toBe(rewriteServedBy(xml, {}));
    // With a header wanted, the first is ours and the copy goes: Breakerboard writes one.
    expect(rewriteServedBy(xml, want)).toBe(portalPolicy(`    <outbound>\n        <base />\n${OURS()}\n${USER_HEADER}\n    </outbound>\n`));
    expect(rewriteServedBy(portalPolicy(), {})).toBe(portalPolicy());
    // A plan from before F-OBS-1 was owned by apply carries no servedBy: nothing is touched.
    expect(rewriteServedBy(xml, undefined)).toBe(xml);
  });

  it("stops, naming the header, when the user's own set-header has the wanted name (any case)", () => {
    const user = '            <set-header name="X-Served-By" exists-action="override"><value>edge</value></set-header>';
    const xml = portalPolicy(`    <outbound>\n        <base />\n        <choose><when condition="@(true)">\n${user}\n        </when></choose>\n    </outbound>\n`);
    expect(() => rewriteServedBy(xml, want)).toThrow("<outbound> already sets header 'X-Served-By' with its own value: rename servedByHeader or remove that set-header, then plan again");
    // Not an obstacle to removing ours, nor when the names differ.
    expect(rewriteServedBy(xml, {})).toBe(xml);
    expect(rewriteServedBy(xml, { ...want, header: 'x-backend' })).toContain('name="x-backend"');
    expect(() => rewriteServedBy('<outbound />', want)).toThrow('the policy has no <policies> element');
    expect(() => rewriteServedBy('<policies />', want)).toThrow('the policy has no <policies> element');
  });
});

describe('recognising ours', () => {
  const el = (xml: string) => scanXml(xml).children[0]!;
  const ours = OURS('', '    ');
  it('takes a set-header whose one <value> is the expression, entities decoded, and nothing else', () => {
    expect(isServedBySetHeader(ours, el(ours))).toBe(true);
    const encoded = '<set-header name="h"><value>@{ var u = context.Request.Url.ToString().ToLowerInvariant(); return u &amp;&amp; 1; }</value></set-header>';
    expect(isServedBySetHeader(encoded, el(encoded))).toBe(true);
    for (const other of [
      ours.replace('<value>@{', '<value> @{'),
      ours.replace('ToLowerInvariant()', 'ToUpperInvariant()'),
      ours.replace('</value>', '</value><value>b</value>'),
      ours.replaceAll('set-header', 'set-query-parameter'),
      ours.replace(/<value>[\s\S]*<\/value>/, '<value />'),
      '<set-header name="h" exists-action="delete" />',
      '<set-header name="h"><valu>@{ context.Request.Url.ToString().ToLowerInvariant() }</valu></set-header>',
    ]) expect(isServedBySetHeader(other, el(other)), other).toBe(false);
  });

  it('reads name, exists-action, the value in one line and the number of copies', () => {
    const xml = `<policies><outbound>${ours}${ours.replace('exists-action="override"', '')}</outbound></policies>`;
    expect(readServedBy(xml)).toEqual({ header: 'x-served-by', existsAction: 'override', value: `@{ var u = context.Request.Url.ToString().ToLowerInvariant(); ${SOUTH} ${EAST} return u; }`, count: 2 });
    expect(readServedBy(xml.replace('exists-action="override"', ''))!.existsAction).toBeUndefined();
    expect(readServedBy(`<policies><inbound>${ours}</inbound></policies>`)).toBeUndefined();
  });
});

describe('through rewritePolicy and the wiring', () => {
  it("the export's policy with the header is what apply makes of the export without it, and back", () => {
    const ws = demoWorkspace();
    const plain = apiPolicyXml(ws, 'azure-openai');
    ws.apis!['azure-openai']!.servedByHeader = 'x-served-by';
    const withHeader = apiPolicyXml(ws, 'azure-openai');
    expect(rewritePolicy(plain, desiredWiring(ws, 'azure-openai'))).toBe(withHeader);
    expect(rewritePolicy(withHeader, desiredWiring(ws, 'azure-openai'))).toBe(withHeader);
    expect(readWiring(withHeader).servedBy).toMatchObject({ header: 'x-served-by', existsAction: 'override', count: 1 });
    delete ws.apis!['azure-openai']!.servedByHeader;
    expect(desiredWiring(ws, 'azure-openai').servedBy).toEqual({});
    expect(rewritePolicy(withHeader, desiredWiring(ws, 'azure-openai'))).toBe(plain);
    expect(readWiring(plain).servedBy).toBeUndefined();
  });
});
