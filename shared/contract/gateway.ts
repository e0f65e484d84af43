import { z } from 'zod';
import { gatewayEventSchema, gatewaySnapshotSchema, gatewayStatusSchema } from '../monitor';
import { idSchema, regionEmissionSchema } from '../model/schema';
import { faultSpecSchema } from '../simulation/faults';
import { defineService, type ServiceApi } from './define';

/*
 * The local gateway on the open workspace (issue 8's Run panel and Monitor): start with simulated or real backends,
 * stop, read status; events and one snapshot per second pushed as they happen; edits of the open workspace are
 * applied to a running gateway without a restart.
 */
export const gatewayRunSchema = z.object({
  running: z.boolean(),
  /** Where clients point (`http://127.0.0.1:PORT`), null when stopped. */
  url: z.string().nullable(),
  simulate: z.boolean(),
  startedAt: z.string().nullable(),
  /** Something to know about this start, e.g. that the usual port was taken and the next free one is used. */
  notice: z.string().nullable().optional(),
});
export type GatewayRun = z.infer<typeof gatewayRunSchema>;

export const gatewayService = defineService(
  'gateway',
  {
    start: { input: z.strictObject({ simulate: z.boolean() }), output: gatewayRunSchema },
    stop: { output: gatewayRunSchema },
    status: { output: gatewayRunSchema.extend({ status: gatewayStatusSchema.nullable() }) },
    resetBreaker: { input: z.strictObject({ backend: idSchema }), output: z.object({ reset: z.boolean() }) },
    /** A region's carbon emission on the running gateway (F-ROUTE-8); null = back to the workspace's value. */
    setCarbonEmission: {
      input: z.strictObject({ region: z.string().min(1).max(100), emission: regionEmissionSchema.nullable() }),
      output: z.object({ carbonEmission: z.record(z.string(), z.object({ emission: z.string(), source: z.enum(['workspace', 'set']) })) }),
    },
    /** What a screen that (re)connects missed: the last `seconds` of snapshots and their events (empty when stopped). */
    history: {
      input: z.strictObject({ seconds: z.number().int().min(1).max(900) }),
      output: z.object({ snapshots: z.array(gatewaySnapshotSchema).max(900), events: z.array(gatewayEventSchema).max(1000) }),
    },
  },
  { event: gatewayEventSchema, snapshot: gatewaySnapshotSchema, running: gatewayRunSchema },
);
export type GatewayService = ServiceApi<typeof gatewayService>;

export const simulatorService = defineService(
  'simulator',
  {
    setFault: { input: z.strictObject({ backend: idSchema, fault: faultSpecSchema }), output: z.object({ faults: z.record(z.string(), faultSpecSchema.nullable()) }) },
    clearFault: { input: z.strictObject({ backend: idSchema }), output: z.object({ faults: z.record(z.string(), faultSpecSchema.nullable()) }) },
    /** The faults switched on now, by whoever switched them (this screen, a drill, the CLI); empty when not simulated. */
    faults: { output: z.object({ faults: z.record(z.string(), faultSpecSchema.nullable()) }) },
  },
  {},
);
export type SimulatorService = ServiceApi<typeof simulatorService>;
