import type { Envelope, Transport, Unsubscribe } from '../../../shared/contract/client';
import { createSseParser } from './sse-parser';

export type ConnectionState = 'online' | 'reconnecting' | 'unauthorized';

export interface HttpTransport extends Transport {
  onConnection(listener: (state: ConnectionState) => void): Unsubscribe;
  close(): void;
}

export interface HttpTransportOptions {
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  /** Backoff between reconnects of the event stream, in ms. */
  retryDelays?: number[];
}

/**
 * The browser's way to the main side (serve mode): calls as POST with the token as a bearer header, events from
 * one long-lived fetch of /api/events, re-opened with backoff when it drops. Listeners are told the connection
 * state so the status bar can show it and the store can re-read the state after a gap.
 */
export function createHttpTransport(opts: HttpTransportOptions): HttpTransport {
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const auth = { authorization: `Bearer ${opts.token}` };
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(s: ConnectionState) => void>();
  const delays = opts.retryDelays ?? [500, 1000, 2000, 5000, 10000];
  let controller: AbortController | null = null;
  let closed = false;
  let attempt = 0;
  let state: ConnectionState | null = null;

  const setState = (s: ConnectionState) => {
    if (s === state) return;
    state = s;
    connectionListeners.forEach((l) => l(s));
  };

  async function runStream(): Promise<void> {
    while (!closed) {
      controller = new AbortController();
      try {
        const res = await doFetch(`${opts.baseUrl}/api/events`, { headers: auth, signal: controller.signal, cache: 'no-store' });
        if (res.status === 401 || res.status === 403) {
          setState('unauthorized');
          return;
        }
        if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
        attempt = 0;
        setState('online');
        const parser = createSseParser((channel, data) => {
          let payload: unknown;
          try {
            payload = JSON.parse(data);
          } catch {
            return;
          }
          listeners.get(channel)?.forEach((l) => l(payload));
        });
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.push(value);
        }
      } catch {
        // Dropped or refused: fall through to the backoff below.
      }
      if (closed) return;
      setState('reconnecting');
      await new Promise((r) => setTimeout(r, delays[Math.min(attempt++, delays.length - 1)]));
    }
  }

  let started = false;
  const ensureStream = () => {
    if (started) return;
    started = true;
    void runStream();
  };

  return {
    async call(service, method, payload): Promise<Envelope<unknown>> {
      try {
        const res = await doFetch(`${opts.baseUrl}/api/${service}/${method}`, {
          method: 'POST',
          headers: payload === undefined ? auth : { ...auth, 'content-type': 'application/json' },
          body: payload === undefined ? undefined : JSON.stringify(payload),
          cache: 'no-store',
        });
        return (await res.json()) as Envelope<unknown>;
      } catch {
        return { ok: false, error: { code: 'unavailable', message: 'the dashboard server does not answer (is `breakerboard serve` still running?)' } };
      }
    },
    subscribe(service, event, listener) {
      const channel = `${service}.${event}`;
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(listener);
      ensureStream();
      return () => set.delete(listener);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      if (state) listener(state);
      return () => connectionListeners.delete(listener);
    },
    close() {
      closed = true;
      controller?.abort();
    },
  };
}
