import type { z } from 'zod';

/*
 * A service is described once, as data: its methods (zod input and output) and its events (zod payload). The
 * TypeScript interface, the IPC channels, the HTTP routes and the preload bridge are all derived from that
 * description (like VS Code's ProxyChannel), so no channel name is ever typed by hand.
 */
export interface MethodSpec {
  /** Absent: the method takes no argument. Inputs use no zod defaults or transforms, so input type = parsed type. */
  input?: z.ZodType;
  output: z.ZodType;
}

export interface ServiceSpec {
  name: string;
  methods: Record<string, MethodSpec>;
  events: Record<string, z.ZodType>;
}

export function defineService<const N extends string, const M extends Record<string, MethodSpec>, const E extends Record<string, z.ZodType>>(
  name: N,
  methods: M,
  events: E,
): { name: N; methods: M; events: E } {
  return { name, methods, events };
}

export type Unsubscribe = () => void;

type MethodFn<S> = S extends { input: infer I extends z.ZodType; output: infer O extends z.ZodType }
  ? (input: z.output<I>) => Promise<z.output<O>>
  : S extends { output: infer O extends z.ZodType }
    ? () => Promise<z.output<O>>
    : never;

export type EventMethodName<K extends string> = `on${Capitalize<K>}`;

/** The interface of a service: its methods, and one `onX(listener) → unsubscribe` per event. */
export type ServiceApi<S extends ServiceSpec> = { [K in keyof S['methods']]: MethodFn<S['methods'][K]> } & {
  [K in keyof S['events'] & string as EventMethodName<K>]: (listener: (payload: z.output<S['events'][K]>) => void) => Unsubscribe;
};

export const eventMethodName = <K extends string>(event: K): EventMethodName<K> =>
  `on${event.charAt(0).toUpperCase()}${event.slice(1)}` as EventMethodName<K>;
