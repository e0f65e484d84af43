import type { ArmState } from '../arm-emulator';
import type { ServiceState } from '../arm-emulator/state';

/*
 * Real-world APIM configurations as the service holds them, seeded into the ARM emulator: the seed blog's
 * Bicep (shared/seed/genai-gateway-blog.txt), Azure-Samples/AI-Gateway `modules/apim/v3/inference-api.bicep`
 * (managed-identity credentials, short member ids, 429 breaker), Azure-Samples/Apim-Samples
 * `shared/bicep/modules/apim/v1/backend.bicep` (TLS, PT5M breaker), and the REST spec's examples (proxy
 * backend with credentials, Service Fabric, priority-based pool). Values are the sources' own shapes; names of
 * subscriptions and hosts are ours. Each shape names the pool whose first member's weight the tests change.
 */

type Props = Record<string, unknown>;

export interface Shape {
  name: string;
  pool: string;
  seed: (state: ArmState, svc: ServiceState) => void;
  /** A policy the API starts with (the sources' own). */
  policy: (pool: string) => string;
}

const full = (svc: ServiceState, id: string) => `/subscriptions/${svc.subscription}/resourceGroups/${svc.resourceGroup}/providers/Microsoft.ApiManagement/service/${svc.name}/backends/${id}`;

const rule = (name: string, min: number, max: number, interval: string): Props => ({
  failureCondition: { count: 1, errorReasons: ['Server errors'], interval, statusCodeRanges: [{ min, max }] },
  name,
  tripDuration: 'PT1M',
  acceptRetryAfter: true,
});

/** AI-Gateway labs/backend-pool-load-balancing policy.xml (comments, on-error handler, managed identity). */
export const LAB_POLICY = (pool: string) => `<policies>
    <inbound>
        <base />
        <authentication-managed-identity resource="https://cognitiveservices.azure.com" output-token-variable-name="msi-access-token" ignore-error="false" />
        <set-header name="Authorization" exists-action="override">
            <value>@("Bearer " + (string)context.Variables["msi-access-token"])</value>
        </set-header>
        <set-backend-service backend-id="${pool}" />
    </inbound>
    <backend>
        <!--Set count to one less than the number of backends in the pool to try all backends until the backend pool is temporarily unavailable.-->
        <retry count="2" interval="0" first-fast-retry="true" condition="@(context.Response.StatusCode == 429 || context.Response.StatusCode == 503)">
            <forward-request buffer-request-body="true" />
        </retry>
    </backend>
    <outbound>
        <base />
    </outbound>
    <on-error>
        <base />
        <choose>
            <when condition="@(context.Response.StatusCode == 503)">
                <return-response>
                    <set-status code="503" reason="Service Unavailable" />
                </return-response>
            </when>
        </choose>
    </on-error>
</policies>`;

/** Apim-Samples aca-backend-pool-load-balancing.xml shape, with a rate limit and an llm token limit kept aside. */
const SAMPLES_POLICY = (pool: string) => `<policies>
\t<inbound>
\t\t<base />
\t\t<rate-limit calls="20" renewal-period="90" />
\t\t<llm-token-limit counter-key="@(context.Subscription.Id)" tokens-per-minute="5000" estimate-prompt-tokens="false" />
\t\t<set-backend-service backend-id="${pool}" />
\t</inbound>
\t<backend>
\t\t<retry condition="@(context.Response.StatusCode == 429 || context.Response.StatusCode == 503)" count="1" interval="0" first-fast-retry="true" timeout="60">
\t\t\t<forward-request buffer-request-body="true" />
\t\t</retry>
\t</backend>
\t<outbound>
\t\t<base />
\t</outbound>
\t<on-error>
\t\t<base />
\t</on-error>
</policies>`;

export const SHAPES: Shape[] = [
  {
    name: "the seed blog's Bicep (2023-09-01-preview: weighted pool, 400-599 breaker, full member ids)",
    pool: 'mybackendpool',
    seed: (s, svc) => {
      for (const [id, title] of [['backend1-openai-endpoint', 'openai-PTU'], ['backend2-openai-endpoint', 'openai-PAYG']] as const) {
        s.putBackend(svc, id, { url: `https://${id}.openai.azure.com/openai`, protocol: 'http', circuitBreaker: { rules: [rule('myBreakerRulePTU', 400, 599, 'PT1M')] }, description: 'OpenAI PTU', title });
      }
      s.putBackend(svc, 'mybackendpool', {
        description: 'Load balancer for multiple backends',
        type: 'Pool',
        pool: { services: [{ id: full(svc, 'backend1-openai-endpoint'), priority: 1, weight: 1 }, { id: full(svc, 'backend2-openai-endpoint'), priority: 1, weight: 10 }] },
      });
    },
    policy: LAB_POLICY,
  },
  {
    name: 'AI-Gateway v3 inference API (credentials.managedIdentity, short ids) with the preview fields set in the portal',
    pool: 'inference-backend-pool',
    seed: (s, svc) => {
      for (const [i, id] of ['foundry1', 'foundry2', 'foundry3'].entries()) {
        s.putBackend(svc, id, {
          description: 'Inference backend',
          url: `https://${id}.cognitiveservices.azure.com/openai`,
          protocol: 'http',
          circuitBreaker: { rules: [{ ...rule('InferenceBreakerRule', 429, 429, 'PT1M'), ...(i === 0 ? { failureResponse: { statusCode: 429 } } : {}) }] },
          credentials: { managedIdentity: { resource: 'https://cognitiveservices.azure.com' } },
          azureRegion: ['eastus', 'swedencentral', 'westus'][i]!,
        });
      }
      s.putBackend(svc, 'inference-backend-pool', {
        description: 'Load balancer for multiple inference endpoints',
        type: 'Pool',
        pool: {
          services: [{ id: '/backends/foundry1', priority: 1, weight: 100 }, { id: '/backends/foundry2', priority: 2, weight: 50, preferredCarbonEmission: 'Low' }, { id: '/backends/foundry3', priority: 2, weight: 50 }],
          failureResponse: { statusCode: 429 },
          sessionAffinity: { sessionId: { source: 'cookie', name: 'APIM-Session' } },
        },
      });
    },
    policy: LAB_POLICY,
  },
  {
    name: 'Apim-Samples load balancing (TLS settings, PT5M 429 breaker, rate-limit and llm-token-limit in the policy)',
    pool: 'aca-backend-pool',
    seed: (s, svc) => {
      for (const id of ['aca-backend-1', 'aca-backend-2']) {
        s.putBackend(svc, id, {
          url: `https://${id}.azurecontainerapps.io`,
          description: `This is the backend for ${id}`,
          protocol: 'http',
          circuitBreaker: { rules: [rule('backend-circuit-breaker', 429, 429, 'PT5M')] },
          tls: { validateCertificateChain: false, validateCertificateName: false },
        });
      }
      s.putBackend(svc, 'aca-backend-pool', { description: 'ACA pool', type: 'Pool', pool: { services: [{ id: full(svc, 'aca-backend-1'), priority: 1, weight: 2 }, { id: full(svc, 'aca-backend-2'), priority: 1, weight: 1 }] } });
    },
    policy: SAMPLES_POLICY,
  },
  {
    name: "the REST spec's examples (proxy backend with credentials, Service Fabric, priority-based pool)",
    pool: 'backend-pool',
    seed: (s, svc) => {
      s.putBackend(svc, 'proxybackend', {
        description: 'description5308',
        url: 'https://backendname2644/',
        protocol: 'http',
        tls: { validateCertificateChain: true, validateCertificateName: true },
        proxy: { url: 'http://192.168.1.1:8080', username: 'Contoso\\admin', password: '<password>' },
        credentials: { query: { sv: ['xx', 'bb', 'cc'] }, header: { 'x-my-1': ['val1', 'val2'] }, authorization: { scheme: 'Basic', parameter: 'opensesma' } },
      });
      s.putBackend(svc, 'sfbackend', {
        description: 'Service Fabric Test App 1',
        protocol: 'http',
        url: 'fabric:/mytestapp/mytestservice',
        properties: { serviceFabricCluster: { managementEndpoints: ['https://somecluster.com'], clientCertificateId: '/certificates/cert1', serverX509Names: [{ name: 'ServerCommonName1', issuerCertificateThumbprint: 'IssuerCertificateThumbprint1' }], maxPartitionResolutionRetries: 5 } },
      });
      for (const id of ['backend-1', 'backend-2', 'backend-3', 'backend-4']) s.putBackend(svc, id, { url: `https://${id}.example.net/api`, protocol: 'http' });
      s.putBackend(svc, 'backend-pool', {
        type: 'Pool',
        pool: { services: ['backend-1', 'backend-2', 'backend-3', 'backend-4'].map((id, i) => ({ id: full(svc, id), priority: i < 2 ? 1 : 2 })) },
      });
    },
    policy: (pool) => `<policies>\n  <inbound>\n    <base />\n    <set-backend-service backend-id="${pool}" />\n  </inbound>\n  <backend>\n    <forward-request />\n  </backend>\n  <outbound>\n    <base />\n  </outbound>\n  <on-error>\n    <base />\n  </on-error>\n</policies>`,
  },
];
