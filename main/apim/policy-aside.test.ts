import { describe, expect, it } from 'vitest';
import { noResponseChoose } from '../../shared/export/no-response-errors';
import { policyElementsKeptAside } from './policy-aside';

describe('policy elements import keeps aside', () => {
  it('names every element but the owned ones, per section', () => {
    const xml = `<policies>
  <inbound>
    <base />
    <rate-limit calls="5" renewal-period="60" />
    <llm-token-limit counter-key="@(context.Subscription.Id)" tokens-per-minute="500" estimate-prompt-tokens="false" />
    <azure-openai-token-limit counter-key="@(context.Request.IpAddress)" token-quota="9" token-quota-period="Daily" estimate-prompt-tokens="false" />
    <authentication-managed-identity resource="https://cognitiveservices.azure.com" />
    <authentication-managed-identity resource="https://vault.azure.net" />
    <set-backend-service backend-id="p" />
  </inbound>
  <backend>
    <retry count="1" interval="0" condition="@(true)"><forward-request buffer-request-body="true" /></retry>
  </backend>
  <outbound><base /><set-header name="x" exists-action="delete" /></outbound>
  <on-error><base /><return-response><set-status code="429" /></return-response></on-error>
</policies>`;
    // The first token-limit element is Breakerboard's (imported as tokenLimit); a second one is kept aside.
    expect(policyElementsKeptAside(xml)).toEqual(['inbound: rate-limit, azure-openai-token-limit, authentication-managed-identity', 'outbound: set-header', 'on-error: return-response']);
    expect(policyElementsKeptAside('<policies><inbound><base /><set-backend-service backend-id="p" /></inbound></policies>')).toEqual([]);
    expect(policyElementsKeptAside('<policies><backend><retry count="1" condition="@(true)"><forward-request /><set-variable name="a" value="b" /></retry></backend></policies>')).toEqual(['backend: retry']);
  });

  it('F-RETRY-8: the on-error mapping Breakerboard writes is its own; a choose of the user beside it is kept aside', () => {
    expect(policyElementsKeptAside(`<policies><on-error><base />${noResponseChoose('')}</on-error></policies>`)).toEqual([]);
    const user = '<choose><when condition="@(context.Response.StatusCode == 503)"><return-response><set-status code="503" /></return-response></when></choose>';
    expect(policyElementsKeptAside(`<policies><on-error><base />${user}${noResponseChoose('')}</on-error></policies>`)).toEqual(['on-error: choose']);
    // Our choose outside on-error is not where Breakerboard writes it.
    expect(policyElementsKeptAside(`<policies><outbound>${noResponseChoose('')}</outbound></policies>`)).toEqual(['outbound: choose']);
  });
});
