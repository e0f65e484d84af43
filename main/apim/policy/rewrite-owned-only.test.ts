import { describe, expect, it } from 'vitest';
import { noResponseChoose } from '../../../shared/export/no-response-errors';
import { rewritePolicy, type DesiredWiring } from './rewrite';
import { readWiring } from './wiring';

/*
 * The rewrite changes only the elements apply owns. Every case compares the whole output string: the documents carry
 * the on-error mapping already (on-error.ts leaves it alone then), so any other byte that moves is a failure.
 */

const ON_ERROR = `    <on-error>\n        <base />\n        ${noResponseChoose('        ')}\n    </on-error>`;
const doc = (inbound: string, backend = '') => `<policies>\n    <inbound>\n${inbound}\n    </inbound>\n${backend}${ON_ERROR}\n</policies>`;
const backendOf = (inner: string) => `    <backend>\n${inner}\n    </backend>\n`;
const AOAI = 'https://cognitiveservices.azure.com';
const SBS = '        <set-backend-service backend-id="p" />';
/** The retry block apply writes (F-RETRY-5) for one retry on 429, at the backend section's indentation. */
const OUR_RETRY = [
  '        <retry condition="@(context.Response.StatusCode == 429)" count="1" interval="0" first-fast-retry="true">',
  '            <set-backend-service backend-id="p" />',
  '            <forward-request buffer-request-body="true" />',
  '        </retry>',
].join('\n');

describe('rewritePolicy: the Azure OpenAI identity element', () => {
  it('adds it without client-id on its own line between <base /> and the new set-backend-service', () => {
    const out = rewritePolicy(doc('        <base />'), { backendId: 'p', managedIdentity: { resource: AOAI } });
    expect(out).toBe(doc(`        <base />\n        <authentication-managed-identity resource="${AOAI}" />\n${SBS}`));
  });

  it('changes client-id in place and removes it when the workspace has none, keeping the user attribute order and extras', () => {
    const mi = (attrs: string) => doc(`        <base />\n        <authentication-managed-identity ${attrs} />\n${SBS}`);
    const xml = mi(`client-id="old" resource="${AOAI}/" output-token-variable-name="tok"`);
    // The resource with or without its trailing slash names the same audience: it is left as written.
    expect(rewritePolicy(xml, { backendId: 'p', managedIdentity: { resource: AOAI, clientId: 'new' } })).toBe(mi(`client-id="new" resource="${AOAI}/" output-token-variable-name="tok"`));
    expect(rewritePolicy(xml, { backendId: 'p', managedIdentity: { resource: 'https://other.cognitiveservices.azure.com', clientId: 'old' } })).toBe(
      mi(`client-id="old" resource="https://other.cognitiveservices.azure.com" output-token-variable-name="tok"`),
    );
    expect(rewritePolicy(xml, { backendId: 'p', managedIdentity: { resource: `${AOAI}/` } })).toBe(mi(`resource="${AOAI}/" output-token-variable-name="tok"`));
  });

  it('leaves another element that names the Azure OpenAI resource alone (only authentication-managed-identity is ours)', () => {
    const xml = doc(`        <base />\n        <my-token-fetch resource="https://x.cognitiveservices.azure.com" />\n${SBS}`);
    expect(rewritePolicy(xml, { backendId: 'p' })).toBe(xml);
    expect(readWiring(xml).managedIdentity).toBeUndefined();
  });
});

describe('rewritePolicy: inbound placement and attribute edits', () => {
  it('puts set-backend-service after <base />, not after the first element of the section', () => {
    const xml = doc('        <rate-limit calls="10" renewal-period="60" />\n        <base />');
    expect(rewritePolicy(xml, { backendId: 'p' })).toBe(doc(`        <rate-limit calls="10" renewal-period="60" />\n        <base />\n${SBS}`));
  });

  it('keeps single-quoted attributes that already hold the wanted values (no re-quoting, no change)', () => {
    const xml = doc(
      `        <base />\n        <authentication-managed-identity resource='${AOAI}' client-id='c' />\n        <set-backend-service backend-id='p' />`,
      backendOf(`        <retry condition='@(context.Response.StatusCode == 429)' count='1' interval="0" first-fast-retry="true">\n            <set-backend-service backend-id='p' />\n            <forward-request buffer-request-body='true' timeout='30' />\n        </retry>`),
    );
    expect(rewritePolicy(xml, { backendId: 'p', retry: { count: 1, on: [429] }, managedIdentity: { resource: AOAI, clientId: 'c' }, timeout: 'PT30S' })).toBe(xml);
  });

  it('adds the first attribute of an element that has none right after its name', () => {
    const xml = doc(SBS, backendOf('        <forward-request />'));
    expect(rewritePolicy(xml, { backendId: 'p', timeout: 'PT30S' })).toBe(doc(SBS, backendOf('        <forward-request timeout="30" />')));
  });

  it('outside a retry leaves the user buffer-request-body as written while it sets the timeout', () => {
    const xml = doc(SBS, backendOf('        <forward-request buffer-request-body="false" timeout="10" />'));
    expect(rewritePolicy(xml, { backendId: 'p', timeout: 'PT20S' })).toBe(doc(SBS, backendOf('        <forward-request buffer-request-body="false" timeout="20" />')));
  });
});

describe('rewritePolicy: the backend section', () => {
  const wired = (backend: string) => `<policies>\n    <inbound>\n        <base />\n${SBS}\n    </inbound>\n${backend}${ON_ERROR}\n</policies>`;
  const noBackend = wired('');

  it('adds a missing <backend> for a retry or a forward-request attribute, and none when the retry count is 0', () => {
    expect(rewritePolicy(noBackend, { backendId: 'p', retry: { count: 1, on: [429] } })).toBe(wired(backendOf(OUR_RETRY)));
    expect(rewritePolicy(noBackend, { backendId: 'p', timeout: 'PT30S' })).toBe(wired(backendOf('        <forward-request timeout="30" />')));
    expect(rewritePolicy(noBackend, { backendId: 'p', retry: { count: 0, on: [429] } })).toBe(noBackend);
  });

  it('treats a retry count of 0 as no retry: nothing is added, and our retry goes back to <base />', () => {
    const plain = wired(backendOf('        <base />'));
    expect(rewritePolicy(plain, { backendId: 'p', retry: { count: 0, on: [429] } })).toBe(plain);
    const ours = rewritePolicy(plain, { backendId: 'p', retry: { count: 1, on: [429] } });
    expect(ours).toBe(wired(backendOf(OUR_RETRY)));
    expect(rewritePolicy(ours, { backendId: 'p', retry: { count: 0, on: [429] } })).toBe(plain);
  });

  it('inserts into a backend section that holds only a comment, keeping the comment', () => {
    const xml = wired(backendOf('        <!-- routed by the pool -->'));
    expect(rewritePolicy(xml, { backendId: 'p', timeout: 'PT30S' })).toBe(wired(backendOf('        <forward-request timeout="30" />\n        <!-- routed by the pool -->')));
    expect(rewritePolicy(xml, { backendId: 'p', retry: { count: 1, on: [429] } })).toBe(
      wired(backendOf(`${OUR_RETRY}\n        <!-- routed by the pool -->`)),
    );
  });

  it('sets the pool and the forward-request inside a user retry that has no element yet, keeping its comment', () => {
    const xml = wired(backendOf('        <retry condition="@(true)" count="1"><!-- tries --></retry>'));
    expect(rewritePolicy(xml, { backendId: 'p', retry: { count: 1, on: [429] }, timeout: 'PT30S' })).toBe(
      wired(
        backendOf(
          '        <retry condition="@(context.Response.StatusCode == 429)" count="1" interval="0" first-fast-retry="true">\n            <set-backend-service backend-id="p" />\n            <forward-request buffer-request-body="true" timeout="30" /><!-- tries --></retry>',
        ),
      ),
    );
  });

  it('opens a self-closing user retry, keeping its other attributes, and gives it the pool and a forward-request', () => {
    const want: DesiredWiring = { backendId: 'p', retry: { count: 2, on: [429, 503] } };
    const xml = wired(backendOf('        <retry condition="@(true)" count="1" interval="1" />'));
    const out = rewritePolicy(xml, want);
    expect(out).toBe(
      wired(
        backendOf(
          '        <retry condition="@(context.Response.StatusCode == 429 || context.Response.StatusCode == 503)" count="2" interval="0" first-fast-retry="true">\n            <set-backend-service backend-id="p" />\n            <forward-request buffer-request-body="true" />\n        </retry>',
        ),
      ),
    );
    expect(rewritePolicy(out, want)).toBe(out);
    // Without a count and no space before "/>": the count goes in before the tag is opened.
    expect(rewritePolicy(wired(backendOf('        <retry condition="@(true)"/>')), want)).toBe(out);
  });

  it("adds the forward-request after a user's elements in a retry that repeats none, and refuses when they forward after it", () => {
    const want: DesiredWiring = { backendId: 'p', retry: { count: 1, on: [429] } };
    const xml = wired(backendOf('        <retry condition="@(true)" count="1">\n            <set-variable name="try" value="1" />\n        </retry>'));
    expect(rewritePolicy(xml, want)).toBe(
      wired(
        backendOf(
          '        <retry condition="@(context.Response.StatusCode == 429)" count="1" interval="0" first-fast-retry="true">\n            <set-backend-service backend-id="p" />\n            <set-variable name="try" value="1" />\n            <forward-request buffer-request-body="true" />\n        </retry>',
        ),
      ),
    );
    // Forwarding after the retry: which request the retry should repeat is the user's call, so nothing is written.
    for (const [after, named] of [['<base />', '<base />'], ['<forward-request timeout="10" />', '<forward-request>']] as const) {
      const outside = wired(backendOf(`        <retry condition="@(true)" count="1">\n            <set-variable name="try" value="1" />\n        </retry>\n        ${after}`));
      expect(() => rewritePolicy(outside, want)).toThrow(`its <backend> has a <retry> with no <forward-request> inside and a ${named} outside it: move the forwarding into the retry (or remove the retry), then plan again`);
    }
  });
});

describe('rewritePolicy: removing a retry keeps what the user had inside it', () => {
  const wired = (inner: string) =>
    `<policies>\n    <inbound>\n        <base />\n${SBS}\n    </inbound>\n${backendOf(`        <retry condition="@(true)" count="2">\n            <set-backend-service backend-id="p" />\n${inner}\n        </retry>`)}${ON_ERROR}\n</policies>`;
  const unwrapped = (inner: string) => `<policies>\n    <inbound>\n        <base />\n${SBS}\n    </inbound>\n${backendOf(inner)}${ON_ERROR}\n</policies>`;
  const noRetry: DesiredWiring = { backendId: 'p', timeout: 'PT60S' };

  it('a user forward-request stays with its own attributes and gets the workspace timeout (one apply is enough)', () => {
    const out = rewritePolicy(wired('            <forward-request http-version="2" timeout="30" buffer-request-body="true" />'), noRetry);
    expect(out).toBe(unwrapped('        <forward-request http-version="2" timeout="60" buffer-request-body="true" />'));
    expect(rewritePolicy(out, noRetry)).toBe(out);
  });

  it('other elements after our forward-request and a non-self-closing forward-request stay; a user set-backend-service is refused', () => {
    expect(rewritePolicy(wired('            <forward-request timeout="60" />\n            <set-variable name="tried" value="@(true)" />'), noRetry)).toBe(
      unwrapped('        <forward-request timeout="60" />\n            <set-variable name="tried" value="@(true)" />'),
    );
    expect(rewritePolicy(wired('            <forward-request timeout="60"></forward-request>'), { backendId: 'p' })).toBe(unwrapped('        <forward-request></forward-request>'));
    // It would route every try to its own URL, whatever the pool says.
    expect(() => rewritePolicy(wired('            <set-backend-service base-url="https://fallback.example" />\n            <forward-request timeout="60" />'), noRetry)).toThrow(
      "<set-backend-service> at line 9, column 13 (inside <retry>) also sets the backend, so Breakerboard's set-backend-service would not decide the route",
    );
  });

  it('a lone element that is not forward-request stays; so does any other element carrying a backend-id', () => {
    expect(rewritePolicy(wired('            <mock-response />'), noRetry)).toBe(unwrapped('        <mock-response />'));
    expect(rewritePolicy(wired('            <forward-request timeout="60" />\n            <log-to-pool backend-id="audit" />'), noRetry)).toBe(
      unwrapped('        <forward-request timeout="60" />\n            <log-to-pool backend-id="audit" />'),
    );
  });
});
