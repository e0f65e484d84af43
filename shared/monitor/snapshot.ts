import { z } from 'zod';

/*
 * One health snapshot per 1-second bucket (STYLE rule 8): what the live charts plot. Counts are for that second
 * only; state is as of its end. The UI keeps a bounded ring of these (the gateway keeps 15 minutes).
 */
export const FAILURE_REASONS = ['timeout', 'connection-failure', 'status', 'client-abort', 'body-error'] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export const latencySchema = z.object({ p50: z.number().nullable(), p90: z.number().nullable(), p99: z.number().nullable() });
export const tokensSchema = z.object({ prompt: z.number(), completion: z.number() });

/** The counters a backend reports both per second (snapshots) and over the window (status). */
export const backendCountersShape = {
  requests: z.number(),
  failures: z.number(),
  byStatus: z.record(z.string(), z.number()),
  failuresByReason: z.record(z.string(), z.number()),
  latencyMs: latencySchema,
  tokens: tokensSchema,
  inFlight: z.number(),
};

export const backendBucketSchema = z.object({ state: z.enum(['closed', 'open']), ...backendCountersShape });

/**
 * What the gateway's clients got in that second, one count per client request whatever the tries behind it:
 * `byStatus` the final status codes, `retried` the requests that took more than one try, `saved` those of them
 * that still ended 2xx (the retry saved the request). Per-backend counts count tries; this counts requests.
 */
export const clientBucketSchema = z.object({
  requests: z.number(),
  byStatus: z.record(z.string(), z.number()),
  retried: z.number(),
  saved: z.number(),
});

export const gatewaySnapshotSchema = z.object({
  /** ISO time of the bucket's start; `t` the same in epoch ms. */
  at: z.string(),
  t: z.number(),
  backends: z.record(z.string(), backendBucketSchema),
  /** Requests answered by the gateway itself, by code (NoHealthyBackend, RequestTooLarge, ...). */
  gatewayErrors: z.record(z.string(), z.number()),
  /** Optional for engines that predate it. */
  client: clientBucketSchema.optional(),
  /** Token metric of this second per API, backend and the policy's dimensions (absent when no API emits one). */
  llmTokens: z.array(z.object({ api: z.string(), backend: z.string(), dimensions: z.record(z.string(), z.string()), prompt: z.number(), completion: z.number() })).optional(),
});

export type ClientBucket = z.infer<typeof clientBucketSchema>;
export type BackendBucket = z.infer<typeof backendBucketSchema>;
export type GatewaySnapshot = z.infer<typeof gatewaySnapshotSchema>;
export type LatencySummary = z.infer<typeof latencySchema>;
