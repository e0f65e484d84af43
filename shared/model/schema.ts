import { z } from 'zod';
import { parseDuration } from './duration';
import { SECRET_NAME_PATTERN } from './secret-names';

/*
 * The workspace file (DESIGN §1) as zod schemas. Limits follow APIM's ARM spec (2024-05-01) and the service's
 * own rules (APIM-SEMANTICS §3). Messages are written to follow a field path: `<path>: <message>`.
 * Cross-references (pool members exist, ids unique, ...) are checked in references.ts.
 */

export const ID_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
/** An HTTP header name (RFC 9110 token), bounded so that it fits APIM's credentials header map. */
const HEADER_NAME_PATTERN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;
export const API_PATH_PATTERN = /^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/;

const typeError = (expected: string) => (iss: { input?: unknown }) =>
  iss.input === undefined ? 'is required' : `must be ${expected}`;

export const intBetween = (min: number, max: number) =>
  z
    .number({ error: typeError('a whole number') })
    .int({ error: `must be a whole number between ${min} and ${max}` })
    .min(min, { error: `must be between ${min} and ${max}` })
    .max(max, { error: `must be between ${min} and ${max}` });

const text = (max: number) =>
  z
    .string({ error: typeError('text') })
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` });

export const idSchema = z
  .string({ error: typeError('text') })
  .min(1, { error: 'must not be empty' })
  .max(80, { error: 'must be at most 80 characters (APIM resource name limit)' })
  .regex(ID_PATTERN, { error: 'may contain only letters, digits, ".", "_" and "-", and must start with a letter or digit' });

export const durationSchema = z.string({ error: typeError('an ISO 8601 duration such as PT1M') }).superRefine((v, ctx) => {
  const r = parseDuration(v);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message });
});

const absoluteUrl = z
  .string({ error: typeError('an absolute URL') })
  .min(1, { error: 'must not be empty' })
  .max(2000, { error: 'must be at most 2000 characters' })
  .superRefine((v, ctx) => {
    let u: URL | undefined;
    try {
      u = new URL(v);
    } catch {
      /* reported below */
    }
    if (!u || !/^https?:$/.test(u.protocol)) ctx.addIssue({ code: 'custom', message: 'must be an absolute http(s) URL, e.g. https://name.openai.azure.com/openai' });
  });

export const secretNameSchema = z
  .string({ error: typeError('a secret name') })
  .regex(SECRET_NAME_PATTERN, { error: 'must be 1-256 letters, digits, ".", "_" or "-" (an APIM named-value name)' });

export const authSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('api-key'),
      secret: secretNameSchema,
      header: z.string({ error: typeError('a header name') }).regex(HEADER_NAME_PATTERN, { error: 'must be an HTTP header name: 1-100 characters, no spaces or separators' }).optional(),
    }),
    z.strictObject({ type: z.literal('managed-identity'), resource: z.string().min(1).max(2000).optional(), clientId: z.string().min(1).max(200).optional() }),
    z.strictObject({ type: z.literal('none') }),
  ],
  { error: 'type must be one of api-key, managed-identity, none' },
);

export const statusRangeSchema = z
  .strictObject({ min: intBetween(200, 599), max: intBetween(200, 599) })
  .refine((r) => r.min <= r.max, { error: 'min must not be greater than max', path: ['min'] });

export const failureConditionSchema = z
  .strictObject({
    count: intBetween(1, 2_147_483_647).optional(),
    percentage: intBetween(1, 100).optional(),
    interval: durationSchema,
    statusCodeRanges: z.array(statusRangeSchema, { error: typeError('a list of { min, max } ranges') }).max(10, { error: 'at most 10 status code ranges' }).optional(),
    errorReasons: z
      .array(z.string({ error: typeError('text') }).max(200, { error: 'must be at most 200 characters' }), { error: typeError('a list of texts') })
      .max(10, { error: 'at most 10 error reasons' })
      .optional(),
  })
  .superRefine((c, ctx) => {
    const both = c.count !== undefined && c.percentage !== undefined;
    const none = c.count === undefined && c.percentage === undefined;
    if (both || none) ctx.addIssue({ code: 'custom', message: 'set exactly one of count or percentage', path: [both ? 'percentage' : 'count'] });
  });

/** `BackendFailureResponse` (2025-03-01-preview): the status APIM answers instead of its default 503. Preview. */
export const failureResponseSchema = z.strictObject({ statusCode: intBetween(100, 599) });

export const breakerRuleSchema = z.strictObject({
  name: text(80),
  failureCondition: failureConditionSchema,
  tripDuration: durationSchema,
  acceptRetryAfter: z.boolean({ error: typeError('true or false') }).optional(),
  // Preview (2025-03-01-preview): what APIM answers while this breaker is open.
  failureResponse: failureResponseSchema.optional(),
});

/** Azure OpenAI deployment SKUs as Cognitive Services reports them (`sku.name`); others are kept as written. */
export const DEPLOYMENT_SKUS = ['Standard', 'GlobalStandard', 'DataZoneStandard', 'ProvisionedManaged', 'GlobalProvisionedManaged', 'DataZoneProvisionedManaged', 'GlobalBatch', 'DataZoneBatch'] as const;

/** What discovery found about a deployment: planning only, never deployed to APIM. */
export const capacitySchema = z.strictObject({
  sku: text(100),
  tokensPerMinute: intBetween(1, 1_000_000_000).optional(),
  requestsPerMinute: intBetween(1, 100_000_000).optional(),
  // Provisioned throughput units (PTU SKUs) as the deployment's `sku.capacity`.
  ptu: intBetween(1, 1_000_000).optional(),
  model: text(200).optional(),
  modelVersion: text(100).optional(),
  region: text(100).optional(),
  // The deployment's name: the client's `/deployments/<name>/…` path reaches every pool member as it is.
  deployment: text(64).optional(),
});

export const backendSchema = z.strictObject({
  title: text(300).optional(),
  description: text(2000).optional(),
  url: absoluteUrl,
  auth: authSchema.optional(),
  circuitBreaker: z
    .strictObject({ rules: z.array(breakerRuleSchema).max(1, { error: 'APIM allows one circuit breaker rule per backend' }) })
    .optional(),
  // Preview (2025-03-01-preview): the backend's Azure region, used by carbon-aware pools.
  azureRegion: text(100).optional(),
  capacity: capacitySchema.optional(),
});

export const CARBON_EMISSION_CATEGORIES = ['VeryLow', 'Low', 'Medium', 'High', 'VeryHigh'] as const;
export type CarbonEmissionCategory = (typeof CARBON_EMISSION_CATEGORIES)[number];
/** A region's current emission: a category, or `NotAvailable` (Learn's table: "Not Available | N/A"). */
export const REGION_EMISSIONS = [...CARBON_EMISSION_CATEGORIES, 'NotAvailable'] as const;
export type RegionEmission = (typeof REGION_EMISSIONS)[number];
export const regionEmissionSchema = z.enum(REGION_EMISSIONS, { error: `must be one of ${REGION_EMISSIONS.join(', ')}` });

export const poolMemberSchema = z.strictObject({
  backend: idSchema,
  priority: intBetween(0, 100).optional(),
  weight: intBetween(0, 100).optional(),
  // Preview (2025-03-01-preview): route to regions at or below this category while any is available.
  preferredCarbonEmission: z.enum(CARBON_EMISSION_CATEGORIES, { error: `must be one of ${CARBON_EMISSION_CATEGORIES.join(', ')}` }).optional(),
});

/** `BackendSessionAffinity` (2025-03-01-preview): APIM sets a session cookie and keeps a session on one member. */
export const sessionAffinitySchema = z.strictObject({
  sessionId: z.strictObject({
    source: z.literal('cookie', { error: 'must be cookie (the only source APIM offers)' }),
    name: z.string({ error: typeError('a cookie name') }).regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, { error: 'must be a cookie name: 1-100 characters, no spaces or separators' }),
  }),
});

export const poolSchema = z.strictObject({
  title: text(300).optional(),
  description: text(2000).optional(),
  services: z
    .array(poolMemberSchema, { error: typeError('a list of members') })
    .min(1, { error: 'a pool needs at least one member' })
    .max(30, { error: 'APIM allows at most 30 backends in a pool' }),
  // Preview (2025-03-01-preview).
  failureResponse: failureResponseSchema.optional(),
  sessionAffinity: sessionAffinitySchema.optional(),
});

export const retrySchema = z.strictObject({
  count: intBetween(0, 50),
  // An empty list would export an empty (invalid) retry condition.
  on: z
    .array(intBetween(100, 599), { error: typeError('a list of status codes') })
    .min(1, { error: 'needs at least one status code (default: [429, 503])' })
    .max(20, { error: 'at most 20 status codes' })
    .default([429, 503]),
});

export const TOKEN_QUOTA_PERIODS = ['Hourly', 'Daily', 'Weekly', 'Monthly', 'Yearly'] as const;

/** The counter key of a token limit: a built-in choice, a request header, or an APIM policy expression as text. */
export const counterKeySchema = z.union(
  [
    z.enum(['subscription', 'ip']),
    z.strictObject({ header: z.string({ error: typeError('a header name') }).regex(HEADER_NAME_PATTERN, { error: 'must be an HTTP header name: 1-100 characters, no spaces or separators' }) }),
    z.strictObject({ expression: z.string({ error: typeError('a policy expression') }).min(1, { error: 'must not be empty' }).max(4096, { error: 'must be at most 4096 characters' }) }),
  ],
  { error: 'must be subscription, ip, { header: NAME } or { expression: "@(...)" }' },
);

/** `azure-openai-token-limit` / `llm-token-limit` (DESIGN §6). Limits are refined where the policy reference documents them. */
export const tokenLimitSchema = z
  .strictObject({
    tokensPerMinute: intBetween(1, 2_147_483_647).optional(),
    quota: z.strictObject({ tokens: intBetween(1, 2_147_483_647), period: z.enum(TOKEN_QUOTA_PERIODS, { error: `must be one of ${TOKEN_QUOTA_PERIODS.join(', ')}` }) }).optional(),
    counterKey: counterKeySchema,
    estimatePromptTokens: z.boolean({ error: typeError('true or false') }).default(false),
    flavour: z.enum(['azure-openai', 'llm'], { error: 'must be azure-openai or llm' }).default('azure-openai'),
    retryAfterHeader: z.string().regex(HEADER_NAME_PATTERN, { error: 'must be an HTTP header name' }).optional(),
    remainingTokensHeader: z.string().regex(HEADER_NAME_PATTERN, { error: 'must be an HTTP header name' }).optional(),
    remainingQuotaTokensHeader: z.string().regex(HEADER_NAME_PATTERN, { error: 'must be an HTTP header name' }).optional(),
    tokensConsumedHeader: z.string().regex(HEADER_NAME_PATTERN, { error: 'must be an HTTP header name' }).optional(),
  })
  .refine((t) => t.tokensPerMinute !== undefined || t.quota !== undefined, { error: 'set tokensPerMinute, quota, or both', path: ['tokensPerMinute'] });

/** Dimension names APIM fills in itself: only these may omit `value` (Learn, azure-openai-emit-token-metric). */
export const DEFAULT_METRIC_DIMENSIONS = ['API ID', 'Operation ID', 'Product ID', 'User ID', 'Subscription ID', 'Location', 'Gateway ID'] as const;
/** Learn: "You can configure at most 10 custom dimensions for this policy." */
export const MAX_CUSTOM_DIMENSIONS = 10;

/** A metric dimension: one of the documented names as text, or a custom one read from a header or an expression. */
export const metricDimensionSchema = z.union(
  [
    z.enum(DEFAULT_METRIC_DIMENSIONS, { error: `a dimension without a value must be one of the default dimensions: ${DEFAULT_METRIC_DIMENSIONS.join(', ')}; give others as { name, header } or { name, value }` }),
    z
      .strictObject({
        name: text(200),
        header: z.string().regex(HEADER_NAME_PATTERN, { error: 'must be an HTTP header name' }).optional(),
        value: z.string({ error: typeError('text or a policy expression') }).min(1, { error: 'must not be empty' }).max(4096, { error: 'must be at most 4096 characters' }).optional(),
      })
      .refine((d) => (d.header === undefined) !== (d.value === undefined), { error: 'give exactly one of header or value', path: ['value'] }),
  ],
  { error: 'must be a dimension name or { name, header | value }' },
);

const dimensionName = (d: z.infer<typeof metricDimensionSchema>): string => (typeof d === 'string' ? d : d.name);

/** `azure-openai-emit-token-metric` / `llm-emit-token-metric` (DESIGN §6). */
export const tokenMetricSchema = z
  .strictObject({
    // Learn: "Policy expressions aren't allowed"; the default is "API Management".
    namespace: text(256)
      .refine((n) => !n.startsWith('@'), { error: 'policy expressions are not allowed in namespace' })
      .optional(),
    dimensions: z
      .array(metricDimensionSchema, { error: typeError('a list of dimensions') })
      .min(1, { error: 'needs at least one dimension (the policy requires a <dimension> element)' })
      .refine((ds) => ds.filter((d) => typeof d !== 'string').length <= MAX_CUSTOM_DIMENSIONS, { error: `at most ${MAX_CUSTOM_DIMENSIONS} custom dimensions (policy reference)` })
      .refine((ds) => new Set(ds.map(dimensionName)).size === ds.length, { error: 'dimension names must be unique' }),
    flavour: z.enum(['azure-openai', 'llm'], { error: 'must be azure-openai or llm' }).default('azure-openai'),
  });

/** An operation the API declares (APIM answers 404 OperationNotFound for any other path). */
export const operationSchema = z.strictObject({
  method: z.string({ error: typeError('an HTTP method') }).regex(/^[A-Z]{1,20}$|^\*$/, { error: 'must be an upper-case HTTP method such as POST, or *' }),
  urlTemplate: z.string({ error: typeError('a URL template such as /deployments/{deployment-id}/chat/completions') }).min(1).max(1000).regex(/^\//, { error: 'must start with "/"' }),
  name: idSchema.optional(),
});

export const apiSchema = z.strictObject({
  path: z
    .string({ error: typeError('a URL path such as openai') })
    .max(400, { error: 'must be at most 400 characters' })
    .regex(API_PATH_PATTERN, { error: 'must be a relative URL path without leading or trailing "/", e.g. openai' }),
  backend: idSchema,
  retry: retrySchema.optional(),
  // The forward-request timeout exported as `timeout=` (APIM's default is 300 s).
  timeout: durationSchema.optional(),
  // The API streams (server-sent events): the exported forward-request says `buffer-response="false"`, as Learn requires.
  stream: z.boolean({ error: typeError('true or false') }).optional(),
  operations: z.array(operationSchema, { error: typeError('a list of { method, urlTemplate }') }).max(1000).optional(),
  tokenLimit: tokenLimitSchema.optional(),
  tokenMetric: tokenMetricSchema.optional(),
  // Opt-in: the exported policy adds this response header in <outbound> with the id of the backend APIM chose, so a
  // drill against the deployed service can tell who answered (docs/apim-fidelity.md F-OBS-1).
  servedByHeader: z.string({ error: typeError('a header name') }).regex(HEADER_NAME_PATTERN, { error: 'must be an HTTP header name: 1-100 characters, no spaces or separators' }).optional(),
});

export const gatewaySchema = z.strictObject({
  timeouts: z
    .strictObject({
      connect: durationSchema.optional(),
      response: durationSchema.optional(),
      // How long a client may take to send its request headers, and then its body.
      clientHeaders: durationSchema.optional(),
      clientBody: durationSchema.optional(),
    })
    .optional(),
  // The gateway's address for the UI and `gateway` without --port.
  port: intBetween(1, 65535).optional(),
  maxRequestBytes: intBetween(1024, 1024 * 1024 * 1024).optional(),
  retryBufferBytes: intBetween(0, 1024 * 1024 * 1024).optional(),
  // Rehearsal input, never exported: each Azure region's current carbon emission, which APIM reads from Azure, for
  // members with preferredCarbonEmission (docs/apim-fidelity.md F-ROUTE-7). Keys are region names (azureRegion).
  carbonEmission: z
    .record(z.string().min(1, { error: 'a region name must not be empty' }).max(100, { error: 'a region name must be at most 100 characters' }), regionEmissionSchema, {
      error: typeError('a map of Azure region → carbon emission, e.g. { westeurope: High }'),
    })
    .optional(),
});

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const targetSchema = z.strictObject({
  subscription: z.string({ error: typeError('a subscription id') }).regex(GUID, { error: 'must be a subscription id (a GUID)' }),
  resourceGroup: text(90),
  service: text(50),
  endpoint: absoluteUrl.optional(),
});

export const simulationProfileSchema = z.strictObject({
  tokensPerMinute: intBetween(1, 100_000_000).optional(),
  requestsPerMinute: intBetween(1, 10_000_000).optional(),
  latencyMs: z
    .strictObject({ p50: intBetween(0, 600_000), p99: intBetween(0, 600_000) })
    .refine((l) => l.p50 <= l.p99, { error: 'p50 must not be greater than p99', path: ['p50'] })
    .optional(),
  tokensPerSecond: intBetween(1, 100_000).optional(),
  completionTokens: intBetween(1, 100_000).optional(),
  seed: intBetween(0, 2_147_483_647).optional(),
});

// Keys of backends, pools and apis become APIM resource names, so they follow the id rules.
const record = <T extends z.ZodType>(value: T) => z.record(idSchema, value, { error: typeError('a map of id → settings') });

export const workspaceSchema = z.strictObject({
  version: z.literal(1, { error: (iss) => (iss.input === undefined ? 'is required (version: 1)' : `unsupported version ${JSON.stringify(iss.input)}: this Breakerboard reads version 1`) }),
  backends: record(backendSchema).default({}),
  pools: record(poolSchema).optional(),
  apis: record(apiSchema).optional(),
  gateway: gatewaySchema.optional(),
  target: targetSchema.optional(),
  // Keys name backends (checked in references.ts), so an unknown or malformed one is reported there once.
  simulation: z.record(z.string(), simulationProfileSchema, { error: typeError('a map of backend id → profile') }).optional(),
});

export type Workspace = z.infer<typeof workspaceSchema>;
export type WorkspaceInput = z.input<typeof workspaceSchema>;
export type Backend = z.infer<typeof backendSchema>;
export type BackendAuth = z.infer<typeof authSchema>;
export type BreakerRule = z.infer<typeof breakerRuleSchema>;
export type FailureCondition = z.infer<typeof failureConditionSchema>;
export type StatusRange = z.infer<typeof statusRangeSchema>;
export type Pool = z.infer<typeof poolSchema>;
export type PoolMember = z.infer<typeof poolMemberSchema>;
export type Api = z.infer<typeof apiSchema>;
export type RetrySettings = z.infer<typeof retrySchema>;
export type GatewaySettings = z.infer<typeof gatewaySchema>;
export type Target = z.infer<typeof targetSchema>;
export type SimulationProfile = z.infer<typeof simulationProfileSchema>;
export type FailureResponse = z.infer<typeof failureResponseSchema>;
export type SessionAffinity = z.infer<typeof sessionAffinitySchema>;
export type Capacity = z.infer<typeof capacitySchema>;
export type TokenLimit = z.infer<typeof tokenLimitSchema>;
export type TokenMetric = z.infer<typeof tokenMetricSchema>;
export type CounterKey = z.infer<typeof counterKeySchema>;
export type MetricDimension = z.infer<typeof metricDimensionSchema>;
export type Operation = z.infer<typeof operationSchema>;
