import { describe, expect, it } from 'vitest';
import { NO_RESPONSE_SUMMARY, noResponseChoose } from '../../../shared/export/no-response-errors';
import { LAB_POLICY } from '../../../test/support/real-world/shapes';
import { policyElementsKeptAside } from '../policy-aside';
import { isOwnedOnErrorChoose, onErrorEdits } from './on-error';
import { rewritePolicy } from './rewrite';
import { readWiring } from './wiring';
import { applyEdits, child, scanXml } from './xml-scan';

/* The on-error mapping of F-RETRY-8 in apply's read-modify-write: added once, recognised, the user's content kept. */

const lab = LAB_POLICY('openai-backend-pool');
const want = { backendId: 'openai-backend-pool', retry: { count: 2, on: [429, 503] }, managedIdentity: { resource: 'https://cognitiveservices.azure.com' } };
const ours = (indent: string, step = '    ') => noResponseChoose(indent, step);

describe('the on-error mapping of a backend without response', () => {
  it("goes after the lab's own on-error handler, which stays byte for byte, and a second apply changes nothing", () => {
    expect(readWiring(lab).noResponseErrors).toBeUndefined();
    const out = rewritePolicy(lab, want);
    const labChoose = lab.slice(lab.indexOf('<choose>'), lab.indexOf('</choose>') + '</choose>'.length);
    const at = out.indexOf('</on-error>');
    // Everything the lab wrote is there, in order; ours is the section's last element.
    expect(out.slice(out.indexOf('<on-error>'), at)).toBe(`<on-error>\n        <base />\n        ${labChoose}\n        ${ours('        ')}\n    `);
    expect(out.slice(at)).toBe(lab.slice(lab.indexOf('</on-error>')));
    expect(readWiring(out).noResponseErrors).toBe(NO_RESPONSE_SUMMARY);
    expect(rewritePolicy(out, want)).toBe(out);
    // Import still names the lab's handler as kept aside, and not ours.
    expect(policyElementsKeptAside(out)).toEqual(policyElementsKeptAside(lab));
    expect(policyElementsKeptAside(out)).toContain('on-error: choose');
  });

  it('adds the section with <base /> when there is none, and keeps an empty section free of <base />', () => {
    const none = '<policies>\n  <inbound>\n    <base />\n    <set-backend-service backend-id="p" />\n  </inbound>\n</policies>';
    const out = rewritePolicy(none, { backendId: 'p' });
    // The document's two-space step is kept.
    expect(out).toBe(none.replace('</inbound>\n', `</inbound>\n  <on-error>\n    <base />\n    ${ours('    ', '  ')}\n  </on-error>\n`));
    expect(rewritePolicy(out, { backendId: 'p' })).toBe(out);
    const empty = '<policies>\n    <inbound>\n        <base />\n        <set-backend-service backend-id="p" />\n    </inbound>\n    <on-error />\n</policies>';
    const filled = rewritePolicy(empty, { backendId: 'p' });
    expect(filled).toBe(empty.replace('<on-error />', `<on-error>\n        ${ours('        ')}\n    </on-error>`));
    expect(filled).not.toMatch(/<on-error>\s*<base \/>/);
  });

  it('recognises the mapping as APIM gives it back (other indentation, entities written as characters where XML allows)', () => {
    const exported = rewritePolicy(lab, want);
    const reserialised = exported.replace(/\n {4}/g, '\n\t').replace(/ \/>/g, '/>').replace(/<set-body>\{ "error"/g, '<set-body>{ &quot;error&quot;').replace('&quot;error&quot;: {', '"error": {');
    expect(reserialised).not.toBe(exported);
    expect(readWiring(reserialised).noResponseErrors).toBe(NO_RESPONSE_SUMMARY);
    expect(rewritePolicy(reserialised, want)).toBe(reserialised);
  });

  it('does not add a second copy when the conditions come back with raw quotes inside the attribute', () => {
    const raw = rewritePolicy(lab, want).replace(/&quot;/g, '"').replace(/&amp;&amp;/g, '&&');
    expect(readWiring(raw).noResponseErrors).toBe(NO_RESPONSE_SUMMARY);
    expect(rewritePolicy(raw, want)).toBe(raw);
  });

  it('puts back an edited mapping and drops a second copy, leaving the user\'s elements around them', () => {
    const exported = rewritePolicy(lab, want);
    const edited = exported.replace('The backend sent no response headers within the timeout.', 'slow');
    expect(readWiring(edited).noResponseErrors).toBe('not as Breakerboard writes it');
    expect(rewritePolicy(edited, want)).toBe(exported);
    const twice = exported.replace('</on-error>', `    ${ours('        ')}\n    </on-error>`);
    expect(readWiring(twice).noResponseErrors).toBe('not as Breakerboard writes it');
    expect(rewritePolicy(twice, want)).toBe(exported);
  });

  it("takes a user's choose that mixes one of our branches with their own for theirs, and adds ours after it", () => {
    const mixed = rewritePolicy(lab, want).replace('<when condition="@(context.Response.StatusCode == 503)">', '<when condition="@(context.LastError.Source == &quot;forward-request&quot; &amp;&amp; context.LastError.Reason == &quot;Timeout&quot;)">\n                <set-variable name="t" value="1" />\n            </when>\n            <when condition="@(context.Response.StatusCode == 503)">');
    expect(readWiring(mixed).noResponseErrors).toBe(NO_RESPONSE_SUMMARY);
    expect(rewritePolicy(mixed, want)).toBe(mixed);
    expect(policyElementsKeptAside(mixed)).toContain('on-error: choose');
  });
});

/** Apply's on-error step alone: the edits onErrorEdits asks for, applied to the text. */
const applyOnError = (xml: string) => {
  const policies = child(scanXml(xml), 'policies')!;
  return applyEdits(xml, onErrorEdits(xml, policies, child(policies, 'on-error')));
};
const section = (body: string) => `<policies>\n    <inbound>\n        <base />\n    </inbound>\n    <on-error>\n        <base />\n${body}\n    </on-error>\n</policies>`;
const written = section(`        ${ours('        ')}`);
const TIMEOUT_CONDITION = 'condition="@(context.LastError.Source == &quot;forward-request&quot; &amp;&amp; context.LastError.Reason == &quot;Timeout&quot;)"';

describe('the on-error step on its own: indentation, recognition, and what is never taken for ours', () => {
  it("takes the document's step from its first section, four spaces when there is none to take", () => {
    // Sections at the same column as <policies>: no step to learn.
    const flat = '<policies>\n<inbound>\n<base />\n</inbound>\n</policies>';
    expect(applyOnError(flat)).toBe(`<policies>\n<inbound>\n<base />\n</inbound>\n<on-error>\n    <base />\n    ${ours('    ')}\n</on-error>\n</policies>`);
    // <policies> itself indented by a tab, its sections by the tab and two spaces: the step is the two spaces.
    const tabbed = '\t<policies>\n\t  <inbound>\n\t    <base />\n\t  </inbound>\n\t</policies>';
    expect(applyOnError(tabbed)).toBe(`\t<policies>\n\t  <inbound>\n\t    <base />\n\t  </inbound>\n\t  <on-error>\n\t    <base />\n\t    ${ours('\t    ', '  ')}\n\t  </on-error>\n\t</policies>`);
    // No section at all: one default step in.
    const empty = '<policies>\n</policies>';
    expect(applyOnError(empty)).toBe(`<policies>\n    <on-error>\n        <base />\n        ${ours('        ')}\n    </on-error>\n</policies>`);
  });

  it('leaves the mapping as written, also with more space before "/>", and puts it back when a condition was re-wrapped', () => {
    expect(applyOnError(written)).toBe(written);
    const spaced = written.replace('reason="Bad Gateway" />', 'reason="Bad Gateway"\n                  />');
    expect(spaced).not.toBe(written);
    expect(applyOnError(spaced)).toBe(spaced);
    // The condition wrapped over lines and padded inside its quotes is still ours, not as written: replaced, not doubled.
    const wrapped = written.replace(TIMEOUT_CONDITION, 'condition="\n    @(context.LastError.Source == &quot;forward-request&quot;\n        &amp;&amp; context.LastError.Reason == &quot;Timeout&quot;)  "');
    expect(wrapped).not.toBe(written);
    expect(applyOnError(wrapped)).toBe(written);
  });

  it("never takes a user's empty <choose />, a choose with a non-when branch, or another element for ours", () => {
    const userChoose = section('        <choose />');
    expect(applyOnError(userChoose)).toBe(section(`        <choose />\n        ${ours('        ')}`));
    // The element after <base /> in the section.
    const el = (xml: string) => child(child(scanXml(section(xml)), 'policies'), 'on-error')!.children[1]!;
    expect(isOwnedOnErrorChoose(el(ours('')))).toBe(true);
    expect(isOwnedOnErrorChoose(el(ours('').replace(/<(\/?)choose>/g, '<$1switch>')))).toBe(false);
    const otherwise = ours('').replace(/<when (condition="[^"]*Timeout[^"]*")>([\s\S]*?)<\/when>\n<\/choose>$/, '<otherwise $1>$2</otherwise>\n</choose>');
    expect(otherwise).toContain('<otherwise condition=');
    expect(isOwnedOnErrorChoose(el(otherwise))).toBe(false);
  });

  it('adds the mapping when our conditions are written elsewhere in the document, or only one of them in on-error', () => {
    const inOutbound = `<policies>\n    <inbound>\n        <base />\n    </inbound>\n    <outbound>\n        ${ours('        ')}\n    </outbound>\n    <on-error>\n        <base />\n    </on-error>\n</policies>`;
    expect(applyOnError(inOutbound)).toBe(inOutbound.replace('<base />\n    </on-error>', `<base />\n        ${ours('        ')}\n    </on-error>`));
    const oneOfOurs = section(`        <choose>\n            <when ${TIMEOUT_CONDITION}>\n                <set-variable name="t" value="1" />\n            </when>\n            <when condition="@(context.Response.StatusCode == 503)">\n                <set-variable name="u" value="1" />\n            </when>\n        </choose>`);
    expect(applyOnError(oneOfOurs)).toBe(oneOfOurs.replace('        </choose>\n', `        </choose>\n        ${ours('        ')}\n`));
  });

  it("adds nothing when the section already answers both conditions in a user's own choose (with an otherwise), and says so", () => {
    // Both our branches, then the user's own <otherwise>: not the element Breakerboard writes (a plan must not claim
    // it as ours to rewrite), but APIM already answers both errors, so a second copy would never run.
    const withOtherwise = section('        ' + ours('        ').replace(/\n {8}<\/choose>$/, '\n            <otherwise>\n                <set-variable name="o" value="1" />\n            </otherwise>\n        </choose>'));
    expect(withOtherwise).toContain('<otherwise>');
    expect(applyOnError(withOtherwise)).toBe(withOtherwise);
    expect(readWiring(withOtherwise).noResponseErrors).toBe(NO_RESPONSE_SUMMARY);
    // Only the 504 branch there, the same way: the mapping is still added.
    const only504 = withOtherwise.replace(/<when condition="[^"]*BackendConnectionFailure[^"]*">[\s\S]*?<\/when>\n {12}/, '');
    expect(only504).not.toContain('BackendConnectionFailure');
    expect(readWiring(only504).noResponseErrors).toBeUndefined();
    expect(applyOnError(only504)).toBe(only504.replace('        </choose>\n', `        </choose>\n        ${ours('        ')}\n`));
  });

  it('takes a commented-out copy of the mapping for nothing: it is added, and the comment stays', () => {
    const commented = section(`        <!-- ${ours('        ')} -->`);
    expect(readWiring(commented).noResponseErrors).toBeUndefined();
    expect(applyOnError(commented)).toBe(commented.replace('<base />\n        <!--', `<base />\n        ${ours('        ')}\n        <!--`));
  });
});
