import type { Account, Deployment } from '@azure/arm-cognitiveservices';
import type { DiscoveredAccount, DiscoveredDeployment } from '../../shared/contract/discovery';

/*
 * What a deployment's ARM resource says about its capacity, in the workspace's terms. Rate limits come first,
 * as the service reports them (`properties.rateLimits`, key `token` / `request`, count per `renewalPeriod`
 * seconds); without them a Standard-family SKU's `sku.capacity` is thousands of tokens per minute (Learn: quota,
 * "capacity units of 1,000 TPM"); a provisioned SKU's capacity is PTUs, whose token rate depends on the model
 * and the prompt mix, so it is left unknown rather than guessed (docs/apim-fidelity.md F-CAP-1).
 */

/** Kinds that serve Azure OpenAI: classic Azure OpenAI resources and AI Foundry (AIServices) resources. */
export const OPENAI_KINDS = ['OpenAI', 'AIServices'] as const;

export const isProvisioned = (sku: string) => /Provisioned/i.test(sku);

const perMinute = (count: number | undefined, renewalPeriod: number | undefined) =>
  count !== undefined && renewalPeriod !== undefined && renewalPeriod > 0 ? Math.round((count * 60) / renewalPeriod) : null;

export function deploymentFacts(d: Deployment): DiscoveredDeployment {
  const sku = d.sku?.name ?? 'unknown';
  const capacity = d.sku?.capacity ?? null;
  const limits = d.properties?.rateLimits ?? [];
  const token = limits.find((r) => r.key?.toLowerCase() === 'token');
  const request = limits.find((r) => r.key?.toLowerCase() === 'request');
  const reportedTpm = perMinute(token?.count, token?.renewalPeriod);
  const tokensPerMinute = reportedTpm ?? (capacity !== null && !isProvisioned(sku) ? capacity * 1000 : null);
  return {
    name: d.name ?? '',
    model: d.properties?.model?.name ?? 'unknown',
    version: d.properties?.model?.version ?? '',
    sku,
    capacity,
    tokensPerMinute,
    requestsPerMinute: perMinute(request?.count, request?.renewalPeriod),
  };
}

const groupOf = (id: string | undefined) => /\/resourceGroups\/([^/]+)\//i.exec(id ?? '')?.[1] ?? '';

/** The OpenAI endpoint of an account: AI Foundry lists one per API family, classic Azure OpenAI has one. */
export function openAiEndpoint(a: Account): string {
  const named = a.properties?.endpoints?.['OpenAI Language Model Instance API'];
  return named ?? a.properties?.endpoint ?? `https://${a.name}.openai.azure.com/`;
}

export function accountFacts(a: Account, subscription: string, deployments: DiscoveredDeployment[]): DiscoveredAccount {
  return { name: a.name ?? '', region: a.location ?? '', endpoint: openAiEndpoint(a), kind: a.kind ?? '', subscription, resourceGroup: groupOf(a.id), deployments };
}
