/*
 * Accounts and deployments in the shapes of the published REST examples (Azure/azure-rest-api-specs,
 * specification/cognitiveservices/.../stable/2024-10-01/examples/ListAccountsBySubscription.json and
 * ListDeployments.json): `id`, `name`, `type`, `location`, `sku`, `kind`, `etag`, `properties.endpoint` for
 * accounts; `sku { name, capacity }`, `properties.model { format, name, version }`, `provisioningState` and the
 * read-only `rateLimits` (ThrottlingRule: key, renewalPeriod, count) for deployments.
 */

export interface SeedDeployment {
  name: string;
  model: string;
  version: string;
  sku: string;
  capacity: number;
  /** Set: the deployment reports rateLimits (Standard SKUs do; provisioned ones do not). */
  rateLimits?: { tokensPerMinute: number; requestsPer10Seconds: number };
}

export interface SeedAccount {
  subscription: string;
  resourceGroup: string;
  name: string;
  location: string;
  kind: string;
  deployments: SeedDeployment[];
}

export const SUB_A = '11111111-2222-3333-4444-555555555555';
export const SUB_B = '66666666-7777-8888-9999-000000000000';

/** Two gpt-4o PTU deployments, two pay-as-you-go ones, an embeddings model, a Speech account that is not OpenAI. */
export const DEFAULT_ACCOUNTS: SeedAccount[] = [
  {
    subscription: SUB_A,
    resourceGroup: 'rg-ai',
    name: 'aoai-swedencentral',
    location: 'swedencentral',
    kind: 'OpenAI',
    deployments: [
      { name: 'gpt-4o-ptu', model: 'gpt-4o', version: '2024-08-06', sku: 'ProvisionedManaged', capacity: 100 },
      { name: 'embed', model: 'text-embedding-3-small', version: '1', sku: 'Standard', capacity: 350, rateLimits: { tokensPerMinute: 350_000, requestsPer10Seconds: 350 } },
    ],
  },
  {
    subscription: SUB_A,
    resourceGroup: 'rg-ai',
    name: 'aoai-uksouth',
    location: 'uksouth',
    kind: 'OpenAI',
    deployments: [{ name: 'gpt-4o', model: 'gpt-4o', version: '2024-08-06', sku: 'Standard', capacity: 30, rateLimits: { tokensPerMinute: 30_000, requestsPer10Seconds: 30 } }],
  },
  {
    subscription: SUB_A,
    resourceGroup: 'rg-speech',
    name: 'speech-westus',
    location: 'westus',
    kind: 'SpeechServices',
    deployments: [],
  },
  {
    subscription: SUB_B,
    resourceGroup: 'rg-foundry',
    name: 'foundry-eastus2',
    location: 'eastus2',
    kind: 'AIServices',
    deployments: [
      { name: 'gpt-4o-ptu-east', model: 'gpt-4o', version: '2024-08-06', sku: 'GlobalProvisionedManaged', capacity: 300 },
      { name: 'gpt-4o-global', model: 'gpt-4o', version: '2024-08-06', sku: 'GlobalStandard', capacity: 450, rateLimits: { tokensPerMinute: 450_000, requestsPer10Seconds: 450 } },
    ],
  },
];

export function accountId(a: SeedAccount): string {
  return `/subscriptions/${a.subscription}/resourceGroups/${a.resourceGroup}/providers/Microsoft.CognitiveServices/accounts/${a.name}`;
}

export function accountBody(a: SeedAccount): Record<string, unknown> {
  const openAiEndpoint = `https://${a.name}.openai.azure.com/`;
  const properties: Record<string, unknown> =
    a.kind === 'AIServices'
      ? {
          endpoint: `https://${a.name}.cognitiveservices.azure.com/`,
          // AI Foundry resources list one endpoint per API family; the OpenAI one is named like this.
          endpoints: { 'OpenAI Language Model Instance API': openAiEndpoint, 'Azure AI Model Inference API': `https://${a.name}.services.ai.azure.com/` },
          provisioningState: 'Succeeded',
        }
      : { endpoint: a.kind === 'OpenAI' ? openAiEndpoint : `https://${a.location}.api.cognitive.microsoft.com/`, provisioningState: 'Succeeded' };
  return {
    id: accountId(a),
    name: a.name,
    type: 'Microsoft.CognitiveServices/accounts',
    location: a.location,
    sku: { name: 'S0' },
    kind: a.kind,
    etag: `W/"datetime'2024-10-01T10%3A00%3A00.0000000Z'"`,
    properties,
  };
}

export function deploymentBody(a: SeedAccount, d: SeedDeployment): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    model: { format: 'OpenAI', name: d.model, version: d.version },
    provisioningState: 'Succeeded',
  };
  if (d.rateLimits) {
    properties.rateLimits = [
      { key: 'request', renewalPeriod: 10, count: d.rateLimits.requestsPer10Seconds },
      { key: 'token', renewalPeriod: 60, count: d.rateLimits.tokensPerMinute },
    ];
  }
  return {
    id: `${accountId(a)}/deployments/${d.name}`,
    name: d.name,
    type: 'Microsoft.CognitiveServices/accounts/deployments',
    sku: { name: d.sku, capacity: d.capacity },
    properties,
  };
}
