import { z } from 'zod';
import { defineService, type ServiceApi } from './define';
import { filePathSchema } from './workspace';

/*
 * Load and drills from the Simulate screen (issue 8, over main/loadgen). One job at a time, bounded in requests
 * and time; `start` and `runDrill` answer as soon as the job runs, progress and the final report arrive as events
 * (a 90 s drill must not hold an HTTP call open). Load goes to the running gateway; a drill either starts its own
 * gateway and simulated backends like `breakerboard drill`, or (`live`) runs through the running simulated
 * gateway, so the Monitor shows it as it happens.
 */
export const LOAD_LIMITS = { maxRps: 500, maxDurationSeconds: 600, maxConcurrency: 200, maxDrillBytes: 256 * 1024 } as const;

const int = (min: number, max: number) =>
  z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` });

export const loadStartSchema = z.strictObject({
  /** Open loop at this arrival rate (requests per second). */
  rps: z.number({ error: 'must be a number' }).positive({ error: 'must be greater than zero' }).max(LOAD_LIMITS.maxRps, { error: `must be at most ${LOAD_LIMITS.maxRps}` }),
  durationSeconds: int(1, LOAD_LIMITS.maxDurationSeconds),
  stream: z.boolean(),
  kind: z.enum(['chat', 'embeddings']).optional(),
  /** An api id of the workspace; default its first. */
  api: z.string().min(1).optional(),
  deployment: z.string().min(1).max(200).optional(),
});
export type LoadStart = z.infer<typeof loadStartSchema>;

export const drillStartSchema = z
  .strictObject({
    /** A drill file on the machine that runs the main side (relative: to the workspace's folder, then the cwd). */
    path: filePathSchema.optional(),
    /** Or the drill itself, as YAML or JSON text. */
    text: z.string().max(LOAD_LIMITS.maxDrillBytes, { error: 'drill text is too long' }).optional(),
    /** Overrides the file's speed (isolated runs only). */
    speed: z.number().positive().max(1000).optional(),
    /** Through the running simulated gateway (speed 1), so the Monitor shows it; else isolated like the CLI. */
    live: z.boolean().optional(),
  })
  .refine((d) => (d.path === undefined) !== (d.text === undefined), { error: 'give exactly one of path or text', path: ['path'] });
export type DrillStart = z.infer<typeof drillStartSchema>;

export const jobKindSchema = z.enum(['load', 'drill']);
export const jobSchema = z.object({ id: z.number().int(), kind: jobKindSchema, startedAt: z.string(), totalMs: z.number() });
export type LoadJob = z.infer<typeof jobSchema>;

export const loadProgressSchema = z.object({
  id: z.number().int(),
  kind: jobKindSchema,
  elapsedMs: z.number(),
  totalMs: z.number(),
  sent: z.number(),
  completed: z.number(),
  ok: z.number(),
  failed: z.number(),
  inFlight: z.number(),
});
export type LoadProgressEvent = z.infer<typeof loadProgressSchema>;

const percentilesSchema = z.object({ count: z.number(), p50: z.number(), p90: z.number(), p99: z.number(), max: z.number(), mean: z.number() });

export const loadReportSchema = z.object({
  sent: z.number(),
  completed: z.number(),
  ok: z.number(),
  failed: z.number(),
  elapsedMs: z.number(),
  achievedRps: z.number(),
  statusCounts: z.record(z.string(), z.number()),
  servedBy: z.record(z.string(), z.number()),
  errors: z.record(z.string(), z.number()),
  retried: z.number(),
  latencyMs: percentilesSchema,
  ttftMs: percentilesSchema.optional(),
  interrupted: z.boolean(),
});
export type LoadReportView = z.infer<typeof loadReportSchema>;

export const expectationSchema = z.object({ name: z.string(), expected: z.string(), actual: z.string(), pass: z.boolean() });

export const drillReportSchema = z.object({
  speed: z.number(),
  durationMs: z.number(),
  realDurationMs: z.number(),
  requests: z.number(),
  clientErrors: z.number(),
  statusCounts: z.record(z.string(), z.number()),
  servedBy: z.record(z.string(), z.number()),
  retried: z.number(),
  failovers: z.number(),
  latencyMs: percentilesSchema,
  events: z.array(z.object({ type: z.string(), backend: z.string(), atMs: z.number(), reason: z.string().optional() })),
  timeToTrip: z.array(z.object({ backend: z.string(), faultAtMs: z.number(), tripAtMs: z.number().nullable(), ms: z.number().nullable() })),
  shares: z.array(z.object({ fromMs: z.number(), toMs: z.number(), total: z.number(), errors: z.number(), byBackend: z.record(z.string(), z.number()) })),
  expectations: z.array(expectationSchema),
  pass: z.boolean(),
  interrupted: z.boolean(),
  /** Per tenant of `load.tenants`: what the token limit refused before any backend, apart from backends' 429s. */
  tenants: z.record(z.string(), z.object({ requests: z.number(), ok: z.number(), tokenLimited: z.number(), quotaExceeded: z.number(), backend429: z.number() })).optional(),
});
export type DrillReportView = z.infer<typeof drillReportSchema>;

/** A job's end: its report, or the error that stopped it (with the drill file's field when there is one). */
export const jobDoneSchema = z.object({
  id: z.number().int(),
  kind: jobKindSchema,
  load: loadReportSchema.optional(),
  drill: drillReportSchema.optional(),
  error: z.object({ message: z.string(), path: z.string().optional() }).optional(),
});
export type LoadJobDone = z.infer<typeof jobDoneSchema>;

export const loadService = defineService(
  'load',
  {
    start: { input: loadStartSchema, output: jobSchema },
    runDrill: { input: drillStartSchema, output: jobSchema },
    cancel: { output: z.object({ cancelled: z.boolean() }) },
    /** The running job, if any (a window that opens mid-run), with its last progress. */
    current: { output: z.object({ job: jobSchema.nullable(), progress: loadProgressSchema.nullable().optional() }) },
  },
  { progress: loadProgressSchema, done: jobDoneSchema },
);
export type LoadService = ServiceApi<typeof loadService>;
