import { contract, eventMethodName, type Api, type ServiceName } from '../../../shared/contract';

/*
 * Test double for every contract service, generated from the contract itself: each method records its call and
 * answers `{ echo: input }`, each event can be fired by hand. Used by the IPC and HTTP adapter tests to prove that
 * every method and event is wired, whatever gets added to the contract later.
 */
export interface SpyServices {
  api: Api;
  calls: { service: string; method: string; input: unknown }[];
  emit(service: ServiceName, event: string, payload: unknown): void;
  listenerCount(service: ServiceName, event: string): number;
}

export function createSpyServices(): SpyServices {
  const calls: SpyServices['calls'] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const api: Record<string, Record<string, unknown>> = {};
  for (const service of Object.keys(contract) as ServiceName[]) {
    const facade: Record<string, unknown> = {};
    for (const method of Object.keys(contract[service].methods)) {
      facade[method] = async (input?: unknown) => {
        calls.push({ service, method, input });
        return { echo: input ?? null };
      };
    }
    for (const event of Object.keys(contract[service].events)) {
      const key = `${service}.${event}`;
      listeners.set(key, new Set());
      facade[eventMethodName(event)] = (l: (p: unknown) => void) => {
        listeners.get(key)!.add(l);
        return () => listeners.get(key)!.delete(l);
      };
    }
    api[service] = facade;
  }
  return {
    api: api as unknown as Api,
    calls,
    emit: (service, event, payload) => listeners.get(`${service}.${event}`)?.forEach((l) => l(payload)),
    listenerCount: (service, event) => listeners.get(`${service}.${event}`)?.size ?? 0,
  };
}
