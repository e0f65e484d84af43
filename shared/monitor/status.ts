import { z } from 'zod';
import { backendCountersShape } from './snapshot';

/*
 * `GET /_breakerboard/status` (DESIGN §3). Counters and latency cover the rolling window (`windowSeconds`, 15 min);
 * `total` counts since the gateway started. Fields may be added; the DESIGN ones stay.
 */
export const backendStatusSchema = z.object({
  state: z.enum(['closed', 'open']),
  openUntil: z.string().nullable(),
  reason: z.string().nullable(),
  url: z.string(),
  rule: z.string().nullable(),
  ...backendCountersShape,
  /** Failures and responses inside the breaker's own window (its `interval`), what the rule looks at. */
  breakerWindow: z.object({ failures: z.number(), total: z.number() }),
  total: z.object({ requests: z.number(), failures: z.number() }),
});

export const poolStatusSchema = z.object({
  members: z.array(z.object({ backend: z.string(), priority: z.number().nullable(), weight: z.number().nullable(), state: z.enum(['closed', 'open']) })),
});

export const gatewayStatusSchema = z.object({
  startedAt: z.string(),
  at: z.string(),
  windowSeconds: z.number(),
  backends: z.record(z.string(), backendStatusSchema),
  pools: z.record(z.string(), poolStatusSchema),
  apis: z.record(z.string(), z.object({ path: z.string(), backend: z.string(), retry: z.object({ count: z.number(), on: z.array(z.number()) }).nullable() })),
  gatewayErrors: z.record(z.string(), z.number()),
  /** Problems of the configuration being served, e.g. a secret that is not available (requests go without it). */
  warnings: z.array(z.string()),
  /** Each region's carbon emission the engine routes by (F-ROUTE-7): from the workspace, or set at run time. */
  carbonEmission: z.record(z.string(), z.object({ emission: z.string(), source: z.enum(['workspace', 'set']) })).optional(),
  /** Each `azureRegion` the backends name (as written) → those backends. */
  regions: z.record(z.string(), z.array(z.string())).optional(),
});

export type BackendStatus = z.infer<typeof backendStatusSchema>;
export type PoolStatus = z.infer<typeof poolStatusSchema>;
export type GatewayStatus = z.infer<typeof gatewayStatusSchema>;
