import type { SimTimers } from '../main/simulator';
import type { Workspace } from '../shared/model';

/** A two-backend workspace for simulator tests; profiles are overridden per test. */
export function simWorkspace(simulation: Workspace['simulation'] = {}): Workspace {
  return {
    version: 1,
    backends: {
      east: { url: 'https://east.openai.azure.com/openai' },
      west: { url: 'https://west.openai.azure.com/openai' },
    },
    apis: { 'azure-openai': { path: 'openai', backend: 'east' } },
    simulation,
  } as Workspace;
}

export const chatBody = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], max_tokens: 12, ...extra });

export async function postJson(url: string, body: string): Promise<{ status: number; headers: Headers; json: unknown }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
}

/**
 * Timers for the simulator's latency and pacing that fire at once (on the next turn) and keep virtual time: each
 * wait is recorded, and `now()` advances to the time it was due. Tests assert the schedule, never the wall clock.
 */
export class VirtualTimers implements SimTimers {
  t = 0;
  readonly waits: number[] = [];
  readonly now = (): number => this.t;
  readonly setTimeout = (fn: () => void, ms: number): unknown => {
    this.waits.push(ms);
    const due = this.t + ms;
    return setImmediate(() => {
      this.t = Math.max(this.t, due);
      fn();
    });
  };
  readonly clearTimeout = (handle: unknown): void => clearImmediate(handle as NodeJS.Immediate);
}
