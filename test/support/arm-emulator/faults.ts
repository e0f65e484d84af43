/*
 * Injectable faults: a test arms one, the emulator applies it to the matching request. Writes (PUT, PATCH,
 * DELETE, POST other than listValue) are counted from 1 so "the 3rd write fails" is one line in a test.
 */

export type FaultAction =
  | { kind: 'status'; status: number; code?: string; message?: string; retryAfter?: number }
  /** Destroys the socket: before the write is applied, or after (the ambiguous case a client must survive). */
  | { kind: 'drop'; when: 'before' | 'after' };

export interface FaultRule {
  /** Which requests: every write, only reads, or all. */
  on: 'write' | 'read' | 'any';
  /** The nth matching request (1-based) triggers the rule; later ones pass unless `times` says otherwise. */
  nth?: number;
  /** A substring of the path, e.g. `/backends/mybackendpool`. */
  pathIncludes?: string;
  /** The end of the path, e.g. `/backends` for the list alone (not one backend's GET). */
  pathEndsWith?: string;
  method?: string;
  /** How many requests the rule hits once triggered (default 1). Retries of the same method+path count. */
  times?: number;
  /** Once triggered, only requests to the same method+path are hit (so a retry fails again, a rollback passes). */
  sticky?: boolean;
  action: FaultAction;
}

interface Armed extends FaultRule {
  seen: number;
  hits: number;
  stuckTo?: string;
}

export const isWrite = (method: string, path: string) => method !== 'GET' && method !== 'HEAD' && !/\/listValue$/i.test(path);

export class Faults {
  private rules: Armed[] = [];

  /** Arms a rule; returns this for chaining. */
  add(rule: FaultRule): this {
    this.rules.push({ ...rule, seen: 0, hits: 0 });
    return this;
  }

  /** The nth write answers 500 (sticky: its SDK retries fail too, other writes pass). */
  failNthWrite(nth: number, status = 500, times = 20): this {
    return this.add({ on: 'write', nth, times, sticky: true, action: { kind: 'status', status, code: status === 500 ? 'InternalServerError' : 'Error' } });
  }

  /** The next `times` writes answer 429 with Retry-After (seconds, may be 0). */
  throttleWrites(times: number, retryAfter = 0): this {
    return this.add({ on: 'write', times, action: { kind: 'status', status: 429, code: 'TooManyRequests', retryAfter } });
  }

  /** The nth write loses its connection, before or after the change is applied. */
  dropNthWrite(nth: number, when: 'before' | 'after' = 'before', times = 20): this {
    return this.add({ on: 'write', nth, times, sticky: true, action: { kind: 'drop', when } });
  }

  clear(): void {
    this.rules = [];
  }

  /** Finds the action for this request, counting it against every rule that matches. */
  match(method: string, path: string): FaultAction | undefined {
    const key = `${method} ${path}`;
    const write = isWrite(method, path);
    for (const r of this.rules) {
      const kindOk = r.on === 'any' || (r.on === 'write') === write;
      if (!kindOk || (r.method && r.method !== method) || (r.pathIncludes && !path.includes(r.pathIncludes)) || (r.pathEndsWith && !path.endsWith(r.pathEndsWith))) continue;
      if (r.stuckTo !== undefined) {
        if (r.stuckTo !== key || r.hits >= (r.times ?? 1)) continue;
        r.hits += 1;
        return r.action;
      }
      r.seen += 1;
      if (r.seen < (r.nth ?? 1) || r.hits >= (r.times ?? 1)) continue;
      r.hits += 1;
      if (r.sticky) r.stuckTo = key;
      return r.action;
    }
    return undefined;
  }
}
