import { z } from 'zod';
import { defineService, type ServiceApi } from './define';
import { workspaceValueSchema } from './workspace';

/*
 * Discovery and capacity planning (issue 17). `discover` lists Azure OpenAI / AI Foundry accounts and their model
 * deployments with the sign-in of the Deploy screen (DESIGN §6 `discover` shape, plus where each lives so a
 * backend can be made from it). `plan` runs the capacity planner of shared/capacity on the main side, so a long
 * sweep never blocks the window.
 */

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const discoveredDeploymentSchema = z.object({
  name: z.string(),
  model: z.string(),
  version: z.string(),
  /** `sku.name`: Standard, GlobalStandard, DataZoneStandard, ProvisionedManaged, … */
  sku: z.string(),
  /** `sku.capacity`: thousands of tokens per minute for Standard SKUs, PTUs for provisioned ones. */
  capacity: z.number().nullable(),
  /** As the service reports it (`rateLimits`, key `token`), else 1000 × capacity for Standard SKUs; null for PTU. */
  tokensPerMinute: z.number().nullable(),
  requestsPerMinute: z.number().nullable(),
});
export type DiscoveredDeployment = z.infer<typeof discoveredDeploymentSchema>;

export const discoveredAccountSchema = z.object({
  name: z.string(),
  region: z.string(),
  endpoint: z.string(),
  kind: z.string(),
  subscription: z.string(),
  resourceGroup: z.string(),
  deployments: z.array(discoveredDeploymentSchema),
});
export type DiscoveredAccount = z.infer<typeof discoveredAccountSchema>;

export const discoveryResultSchema = z.object({
  accounts: z.array(discoveredAccountSchema),
  /** Subscriptions that could not be read (no access, throttled), one sentence each; the others are listed. */
  problems: z.array(z.string()),
});
export type DiscoveryResult = z.infer<typeof discoveryResultSchema>;

export const planRunSchema = z.object({
  factor: z.number(),
  requests: z.number(),
  clientSuccess: z.number(),
  status: z.record(z.string(), z.number()),
  servedBy: z.record(z.string(), z.number()),
  trips: z.array(z.object({ backend: z.string(), at: z.number(), reason: z.string(), until: z.number() })),
  tripCount: z.number(),
  spillover: z.number(),
  retried: z.number(),
  noHealthy: z.array(z.object({ from: z.number(), to: z.number(), requests: z.number() })),
});

export const capacityPlanSchema = z.object({ runs: z.array(planRunSchema), wallMs: z.number(), target: z.string(), unlimited: z.array(z.string()) });
export type CapacityPlan = z.infer<typeof capacityPlanSchema>;

const planInput = z.strictObject({
  /** The workspace the editor shows; without it, the open one. */
  workspace: workspaceValueSchema.optional(),
  rpm: z.number().positive({ error: 'must be greater than 0' }).max(1_000_000, { error: 'must be at most 1000000' }),
  tokensPerRequest: z.number().int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(1_000_000, { error: 'must be at most 1000000' }),
  durationSeconds: z.number().int().min(1, { error: 'must be at least 1' }).max(86_400, { error: 'must be at most 86400 (a day)' }),
  factors: z.array(z.number().positive().max(100)).min(1, { error: 'needs at least one load factor' }).max(50, { error: 'at most 50 load factors' }),
  api: z.string().min(1).max(80).optional(),
});

export const discoveryService = defineService(
  'discovery',
  {
    /** Accounts and deployments in the given subscriptions (default: every subscription the sign-in sees). */
    discover: { input: z.strictObject({ subscriptions: z.array(z.string().regex(GUID, { error: 'must be a subscription id (a GUID)' })).max(50).optional() }), output: discoveryResultSchema },
    plan: { input: planInput, output: capacityPlanSchema },
  },
  {},
);
export type DiscoveryService = ServiceApi<typeof discoveryService>;

export const DISCOVERY_EXAMPLES: Record<keyof (typeof discoveryService)['methods'], { valid: unknown; invalid?: unknown }> = {
  discover: { valid: { subscriptions: ['11111111-2222-3333-4444-555555555555'] }, invalid: { subscriptions: ['nope'] } },
  plan: { valid: { rpm: 600, tokensPerRequest: 500, durationSeconds: 600, factors: [0.5, 1, 2] }, invalid: { rpm: 600, tokensPerRequest: 500, durationSeconds: 600, factors: [] } },
};
