import type { z } from 'zod';
import type { EventMethodName, ServiceSpec, Unsubscribe } from './define';
import type { Envelope } from './envelope';
import type { Contract, ServiceName } from './index';

/*
 * What the desktop preload exposes on `window.breakerboard`: per service, one function per method (answering the
 * error envelope, because an Error loses its fields crossing contextBridge) and one `onX` per event. Built from
 * the contract by the preload, turned into the typed Api by the renderer's client; there is no generic invoke.
 */
export const BRIDGE_GLOBAL = 'breakerboard';

export type BridgeService<S extends ServiceSpec> = { [K in keyof S['methods']]: (input?: unknown) => Promise<Envelope<unknown>> } & {
  [K in keyof S['events'] & string as EventMethodName<K>]: (listener: (payload: z.output<S['events'][K]>) => void) => Unsubscribe;
};

export type Bridge = { readonly [S in ServiceName]: Readonly<BridgeService<Contract[S]>> };
