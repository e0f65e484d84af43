import { eventMethodName, type Bridge } from '../../../shared/contract';
import type { Transport } from '../../../shared/contract/client';

/** The desktop's way to the main side: the frozen object the preload put on window (no generic invoke). */
export function createBridgeTransport(bridge: Bridge): Transport {
  const service = (name: string) => (bridge as unknown as Record<string, Record<string, (...args: unknown[]) => unknown>>)[name];
  return {
    call: async (s, method, payload) => {
      const fn = service(s)?.[method];
      if (!fn) return { ok: false, error: { code: 'not-found', message: `the desktop bridge has no ${s}.${method}` } };
      return (await fn(payload)) as Awaited<ReturnType<Transport['call']>>;
    },
    subscribe: (s, event, listener) => {
      const fn = service(s)?.[eventMethodName(event)];
      return fn ? (fn(listener) as () => void) : () => undefined;
    },
  };
}
