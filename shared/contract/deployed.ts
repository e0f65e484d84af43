import { z } from 'zod';
import { deployTargetSchema } from './apim';
import { defineService, type ServiceApi } from './define';
import { drillReportSchema, LOAD_LIMITS } from './load';

/*
 * The deployed service (issue 16), over main/apim/deployed and main/loadgen/against: the Monitor's "Deployed
 * service" source (Log Analytics readings) and the Simulate screen's deployed target (a drill's loads against the
 * APIM gateway, with the local prediction beside it). Uses the Deploy screen's sign-in. Subscription keys never
 * cross to the renderer: it lists subscriptions by name and picks one; main reads the key and keeps it for the run.
 * A key the user types goes in once, for that run, and is never stored or sent back.
 */

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const httpsUrl = z.string().max(2000).url({ error: 'must be a URL' });

export const deployedMonitorInputSchema = z.strictObject({
  /** How far back (60 s to 7 days). */
  sinceSeconds: z.number().int().min(60, { error: 'must be at least 60 seconds' }).max(7 * 86_400, { error: 'must be at most 7 days' }),
  /** The service (default: the workspace's target:). */
  target: deployTargetSchema.optional(),
  /** Overrides discovery through diagnostic settings. */
  workspaceId: z.string().regex(GUID, { error: 'must be a Log Analytics workspace id (a GUID)' }).optional(),
  /** The Storage queue the observability Bicep routes breaker events to. */
  eventsQueue: httpsUrl.optional(),
});
export type DeployedMonitorInput = z.infer<typeof deployedMonitorInputSchema>;

const backendBucketSchema = z.object({
  requests: z.number(),
  status: z.record(z.string(), z.number()),
  backendTimeMs: z.number().optional(),
  promptTokens: z.number().optional(),
  completionTokens: z.number().optional(),
  lastErrorReason: z.string().optional(),
});

export const deployedReportSchema = z.object({
  buckets: z.array(z.object({ at: z.string(), backends: z.record(z.string(), backendBucketSchema) })),
  delaySeconds: z.number(),
  bucketSeconds: z.number(),
  from: z.string(),
  to: z.string(),
  incompleteAfter: z.string(),
  workspaceId: z.string(),
  openings: z.array(z.object({ backend: z.string(), pool: z.string(), at: z.string(), until: z.string().nullable(), evidence: z.string() })),
  breakerEvents: z.array(z.object({ type: z.enum(['opened', 'closed']), backend: z.string(), at: z.string() })).nullable(),
  notes: z.array(z.string()),
});
export type DeployedReport = z.infer<typeof deployedReportSchema>;

/** A reading, or why there is none and how to enable it (no diagnostic setting, …). */
export const deployedReadingSchema = z.object({
  available: z.boolean(),
  report: deployedReportSchema.nullable(),
  discoveredFrom: z.string().nullable(),
  reason: z.string().nullable(),
  howTo: z.string().nullable(),
});
export type DeployedReading = z.infer<typeof deployedReadingSchema>;

export const subscriptionKeyInfoSchema = z.object({ id: z.string(), displayName: z.string(), scope: z.string(), state: z.string() });

export const deployedDrillInputSchema = z
  .strictObject({
    /** The drill as YAML or JSON text. */
    text: z.string().min(1).max(LOAD_LIMITS.maxDrillBytes, { error: 'drill text is too long' }),
    /** The gateway: https://<service>.azure-api.net[/<api path>]. */
    against: httpsUrl,
    /** An APIM subscription of the service (its key is read in main), or … */
    keyFrom: z.object({ target: deployTargetSchema, subscription: z.string().min(1).max(256) }).optional(),
    /** … a key typed by the user, used for this run only. */
    key: z.string().min(1).max(256).optional(),
    driveQuota: z.boolean().optional(),
    /** Prediction speed (default 10). */
    speed: z.number().positive().max(1000).optional(),
  })
  .refine((d) => (d.keyFrom === undefined) !== (d.key === undefined), { error: 'give exactly one of keyFrom or key', path: ['key'] });
export type DeployedDrillInput = z.infer<typeof deployedDrillInputSchema>;

export const differenceSchema = z.object({ what: z.string(), observed: z.string(), predicted: z.string(), note: z.string().optional() });

export const deployedDrillDoneSchema = z.object({
  observed: drillReportSchema.extend({ target: z.string(), notObservable: z.array(z.string()) }).optional(),
  predicted: drillReportSchema.optional(),
  differences: z.array(differenceSchema).optional(),
  /** The cost estimate shown before a --drive-quota run, one line each. */
  estimate: z.array(z.string()).optional(),
  error: z.object({ message: z.string(), path: z.string().optional() }).optional(),
});
export type DeployedDrillDone = z.infer<typeof deployedDrillDoneSchema>;

export const deployedService = defineService(
  'deployed',
  {
    monitor: { input: deployedMonitorInputSchema, output: deployedReadingSchema },
    listKeys: { input: z.strictObject({ target: deployTargetSchema }), output: z.object({ subscriptions: z.array(subscriptionKeyInfoSchema) }) },
    /** Answers once the run has started; the side-by-side report arrives as `drillDone`. */
    runDrill: { input: deployedDrillInputSchema, output: z.object({ started: z.boolean() }) },
  },
  { drillDone: deployedDrillDoneSchema },
);
export type DeployedService = ServiceApi<typeof deployedService>;

const TARGET = { subscription: '11111111-2222-3333-4444-555555555555', resourceGroup: 'rg-ai', service: 'my-apim' };
export const DEPLOYED_EXAMPLES: Record<keyof (typeof deployedService)['methods'], { valid: unknown; invalid?: unknown }> = {
  monitor: { valid: { sinceSeconds: 900 }, invalid: { sinceSeconds: 5 } },
  listKeys: { valid: { target: TARGET }, invalid: { target: { ...TARGET, subscription: 'x' } } },
  runDrill: { valid: { text: 'version: 1', against: 'https://my-apim.azure-api.net/openai', key: 'typed' }, invalid: { text: 'version: 1', against: 'https://my-apim.azure-api.net/openai' } },
};
