import type { ZodType } from 'zod';
import { contract, type Api, type ServiceName, channelName } from './index';
import { eventMethodName, type Unsubscribe } from './define';
import { fail, succeed, toErrorInfo, zodErrorInfo, type Envelope } from './envelope';

/*
 * The receiving end shared by the IPC adapter and the control server: look the method up in the contract (an
 * unknown name is refused, never reflected onto the object), validate the payload, call, wrap the answer.
 */
const isServiceName = (name: string): name is ServiceName => Object.prototype.hasOwnProperty.call(contract, name);

export async function dispatch(services: Api, service: string, method: string, payload: unknown): Promise<Envelope<unknown>> {
  if (!isServiceName(service)) return fail({ code: 'not-found', message: `no service "${service}"` });
  const methods = contract[service].methods as Record<string, { input?: ZodType }>;
  if (!Object.prototype.hasOwnProperty.call(methods, method)) return fail({ code: 'not-found', message: `no method "${channelName(service, method)}"` });
  const spec = methods[method]!;
  let input: unknown;
  if (spec.input) {
    const parsed = spec.input.safeParse(payload ?? {});
    if (!parsed.success) return fail(zodErrorInfo(parsed.error, channelName(service, method)));
    input = parsed.data;
  } else if (payload !== undefined && payload !== null && !(typeof payload === 'object' && !Array.isArray(payload) && Object.keys(payload).length === 0)) {
    return fail({ code: 'bad-request', message: `${channelName(service, method)}: takes no arguments` });
  }
  const impl = services[service] as unknown as Record<string, (input?: unknown) => Promise<unknown>>;
  try {
    return succeed(spec.input ? await impl[method]!(input) : await impl[method]!());
  } catch (e) {
    return fail(toErrorInfo(e));
  }
}

/** Subscribes to every event of every service; the callback gets the channel name and the payload. */
export function subscribeAll(services: Api, emit: (channel: string, payload: unknown) => void): Unsubscribe {
  const offs: Unsubscribe[] = [];
  for (const service of Object.keys(contract) as ServiceName[]) {
    const impl = services[service] as unknown as Record<string, (listener: (p: unknown) => void) => Unsubscribe>;
    for (const event of Object.keys(contract[service].events)) {
      offs.push(impl[eventMethodName(event)]!((payload) => emit(channelName(service, event), payload)));
    }
  }
  return () => offs.forEach((off) => off());
}
