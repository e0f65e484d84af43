import { describe, expect, it } from 'vitest';
import { policyElementsKeptAside } from './policy-aside';

/*
 * What import's note says stays in APIM, where Breakerboard's own elements appear outside the place it writes them
 * (then they are the user's), and for documents that are not a <policies> document.
 */

const MI = '<authentication-managed-identity resource="https://cognitiveservices.azure.com" />';
const aside = (inner: string) => policyElementsKeptAside(`<policies>${inner}</policies>`);

describe('policy elements kept aside, by place', () => {
  it('owns a bare forward-request and the retry around it only in <backend>', () => {
    expect(aside('<backend><forward-request timeout="60" /></backend>')).toEqual([]);
    expect(aside('<inbound><forward-request /></inbound><outbound><retry count="1" condition="@(true)"><forward-request /></retry></outbound>')).toEqual([
      'inbound: forward-request',
      'outbound: retry',
    ]);
    // Another element in <backend> is the user's, childless or not.
    expect(aside('<backend><set-header name="x" exists-action="delete" /><forward-request /></backend>')).toEqual(['backend: set-header']);
  });

  it('a retry that sets the backend by base-url is the user\'s', () => {
    expect(aside('<backend><retry count="1" condition="@(true)"><set-backend-service backend-id="p" /><forward-request /></retry></backend>')).toEqual([]);
    expect(aside('<backend><retry count="1" condition="@(true)"><set-backend-service base-url="https://x.example" /><forward-request /></retry></backend>')).toEqual(['backend: retry']);
  });

  it('owns the Azure OpenAI managed identity only in <inbound>', () => {
    expect(aside(`<inbound>${MI}</inbound>`)).toEqual([]);
    expect(aside(`<backend>${MI}<forward-request /></backend>`)).toEqual(['backend: authentication-managed-identity']);
  });

  it('owns a token limit only in <inbound>', () => {
    const limit = '<llm-token-limit counter-key="@(context.Subscription.Id)" tokens-per-minute="500" estimate-prompt-tokens="false" />';
    expect(aside(`<outbound>${limit}</outbound><inbound><base /></inbound>`)).toEqual(['outbound: llm-token-limit']);
  });

  it('names elements outside the four sections, and a document without <policies>', () => {
    expect(aside('<inbound><base /></inbound><fragment-x /><include-y />')).toEqual(['outside the sections: fragment-x, include-y']);
    expect(policyElementsKeptAside('<inbound><rate-limit calls="5" renewal-period="60" /></inbound>')).toEqual(['the whole document (it has no <policies> element)']);
    expect(policyElementsKeptAside('')).toEqual([]);
    expect(policyElementsKeptAside(' \n ')).toEqual([]);
  });
});
