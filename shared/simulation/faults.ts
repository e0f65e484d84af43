import { z } from 'zod';

/*
 * Faults a simulated backend can be switched into while it runs (gateway --simulate, simulate, drills, the UI).
 * One fault at a time per backend; clearing returns it to its profile's normal behaviour.
 */
export const faultSpecSchema = z.discriminatedUnion(
  'type',
  [
    /** Connection refused: the listener is closed until cleared. */
    z.strictObject({ type: z.literal('outage') }),
    /** A share of requests answers 500 or 503. */
    z.strictObject({
      type: z.literal('errors'),
      rate: z.number({ error: 'must be a number' }).min(0, { error: 'must be between 0 and 1' }).max(1, { error: 'must be between 0 and 1' }).default(1),
      status: z.union([z.literal(500), z.literal(503)], { error: 'must be 500 or 503' }).optional(),
    }),
    /** Every request answers 429 with this Retry-After (seconds). */
    z.strictObject({
      type: z.literal('throttle'),
      retryAfter: z.number({ error: 'must be a number of seconds' }).int({ error: 'must be a whole number of seconds' }).min(0, { error: 'must be between 0 and 86400 seconds' }).max(86_400, { error: 'must be between 0 and 86400 seconds' }).default(30),
    }),
    /** Latency multiplied by `factor`. */
    z.strictObject({
      type: z.literal('slow'),
      factor: z.number({ error: 'must be a number' }).min(1, { error: 'must be between 1 and 1000' }).max(1000, { error: 'must be between 1 and 1000' }).default(10),
    }),
    /** Accepts the request and never answers. */
    z.strictObject({ type: z.literal('hang') }),
    /** Drops the connection mid-answer. */
    z.strictObject({ type: z.literal('reset') }),
  ],
  { error: 'type must be one of outage, errors, throttle, slow, hang, reset' },
);

export type FaultSpec = z.infer<typeof faultSpecSchema>;
export type FaultType = FaultSpec['type'];
export const FAULT_TYPES: readonly FaultType[] = ['outage', 'errors', 'throttle', 'slow', 'hang', 'reset'];

/** What the gateway's fault endpoints, the CLI and the UI call to switch faults on simulated backends. */
export interface SimulationControl {
  setFault(backendId: string, fault: FaultSpec): void;
  clearFault(backendId: string): void;
  faults(): Record<string, FaultSpec | null>;
}
