import { z } from 'zod';

/*
 * Discrete gateway events (DESIGN §3): pushed on the in-process bus, to the UI, and as SSE
 * (`event: <type>` + `data: <json>`). One JSON object each; `at` is an ISO time.
 */
export const GATEWAY_EVENT_TYPES = ['trip', 'reset', 'failover', 'config', 'warning'] as const;
export type GatewayEventType = (typeof GATEWAY_EVENT_TYPES)[number];

const base = { at: z.string(), reason: z.string().nullable() };

export const gatewayEventSchema = z.discriminatedUnion('type', [
  /** A breaker opened (or an open one was extended by a later failure: reason says so). */
  z.object({ type: z.literal('trip'), backend: z.string(), openUntil: z.string(), extended: z.boolean().optional(), ...base }),
  /** A breaker closed: `openUntil` passed (reason `expired`) or by hand (reason `manual`). */
  z.object({ type: z.literal('reset'), backend: z.string(), ...base }),
  /** A request retried on another try (`backend` = from, `to` = to; the same id when the pool picked it again). */
  z.object({ type: z.literal('failover'), backend: z.string(), to: z.string(), api: z.string(), attempt: z.number().int(), ...base }),
  /** The workspace was reloaded (`ok`), or an edit was refused with its errors and the old table kept serving. */
  z.object({
    type: z.literal('config'),
    backend: z.null(),
    ok: z.boolean(),
    kept: z.array(z.string()).optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    ...base,
  }),
  /** Something a user should know: e.g. a Retry-After over one hour (reason says it). */
  z.object({ type: z.literal('warning'), backend: z.string().nullable(), ...base }),
]);

export type GatewayEvent = z.infer<typeof gatewayEventSchema>;
export type TripEvent = Extract<GatewayEvent, { type: 'trip' }>;
export type ResetEvent = Extract<GatewayEvent, { type: 'reset' }>;
export type FailoverEvent = Extract<GatewayEvent, { type: 'failover' }>;
export type ConfigEvent = Extract<GatewayEvent, { type: 'config' }>;
export type WarningEvent = Extract<GatewayEvent, { type: 'warning' }>;
