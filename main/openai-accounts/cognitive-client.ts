import { CognitiveServicesManagementClient } from '@azure/arm-cognitiveservices';
import type { TokenCredential } from '@azure/core-auth';
import { bearerTokenAuthenticationPolicyName } from '@azure/core-rest-pipeline';
import { armScope, checkEndpoint, headerAuthPolicy, type RetrySettings } from '../apim/client';

/*
 * The Cognitive Services management client for one subscription, routed like the APIM client (main/apim/client.ts):
 * the same endpoint rules (https anywhere, plain http on loopback for emulators), the same ARM audience.
 */
export function cognitiveClient(subscription: string, opts: { credential: TokenCredential; endpoint: string; retry?: RetrySettings }): CognitiveServicesManagementClient {
  const url = checkEndpoint(opts.endpoint);
  const endpoint = url.origin + url.pathname.replace(/\/$/, '');
  const insecure = url.protocol === 'http:';
  const scope = armScope(url);
  const client = new CognitiveServicesManagementClient(opts.credential, subscription, {
    endpoint,
    credentialScopes: [scope],
    allowInsecureConnection: insecure,
    retryOptions: opts.retry,
  });
  if (insecure) {
    client.pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
    client.pipeline.addPolicy(headerAuthPolicy(opts.credential, scope), { phase: 'Sign' });
  }
  return client;
}
