import type { z } from 'zod';
import { eventMethodName, type Unsubscribe } from './define';
import { ContractError, envelopeSchema, errorInfoSchema, type Envelope } from './envelope';

export type { Envelope } from './envelope';
export type { Unsubscribe } from './define';
import { channelName, contract, type Api, type ServiceName } from './index';

/*
 * The calling end, shared by both platforms (Actual Budget's one client facade, one transport per platform):
 * the desktop transport goes through the preload bridge, the browser one over HTTP + SSE. Answers and events are
 * validated against the contract here too, so a mismatch shows up as a clear error, not as a broken screen.
 */
export interface Transport {
  call(service: string, method: string, payload: unknown): Promise<Envelope<unknown>>;
  subscribe(service: string, event: string, listener: (payload: unknown) => void): Unsubscribe;
}

export function createApiClient(transport: Transport): Api {
  const api: Record<string, Record<string, unknown>> = {};
  for (const service of Object.keys(contract) as ServiceName[]) {
    const spec = contract[service];
    const facade: Record<string, unknown> = {};
    for (const [method, m] of Object.entries(spec.methods) as [string, { input?: z.ZodType; output: z.ZodType }][]) {
      facade[method] = async (input?: unknown) => {
        const raw = envelopeSchema.safeParse(await transport.call(service, method, m.input ? input : undefined));
        if (!raw.success) throw new ContractError('internal', `${channelName(service, method)}: malformed answer`);
        if (!raw.data.ok) {
          const info = errorInfoSchema.parse(raw.data.error);
          throw new ContractError(info.code, info.message, info.path);
        }
        const out = m.output.safeParse(raw.data.value);
        if (!out.success) throw new ContractError('internal', `${channelName(service, method)}: answer does not match the contract`);
        return out.data;
      };
    }
    for (const [event, schema] of Object.entries(spec.events) as [string, z.ZodType][]) {
      facade[eventMethodName(event)] = (listener: (payload: unknown) => void) =>
        transport.subscribe(service, event, (payload) => {
          const parsed = schema.safeParse(payload);
          if (parsed.success) listener(parsed.data);
        });
    }
    api[service] = Object.freeze(facade);
  }
  return Object.freeze(api) as unknown as Api;
}
