import type { ServerResponse } from 'node:http';

/**
 * The simulator's sense of time for latency and streaming pace: real timers by default; tests pass their own, so
 * they can assert the schedule (what was waited, when each piece went out) instead of measuring wall-clock time.
 */
export interface SimTimers {
  /** Milliseconds, monotonic. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_TIMERS: SimTimers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** How a streamed answer is paced: tokens per second (speed included), and whether the connection drops halfway. */
export interface Pace {
  tokensPerSecond: number;
  reset: boolean;
  timers: SimTimers;
}

/** Waits `ms`, or less if the client goes away; resolves false when it did. */
export function wait(res: ServerResponse, ms: number, timers: SimTimers = REAL_TIMERS): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onClose = () => {
      timers.clearTimeout(timer);
      resolve(false);
    };
    const timer = timers.setTimeout(() => {
      res.off('close', onClose);
      resolve(!res.destroyed);
    }, ms);
    res.once('close', onClose);
  });
}

/**
 * Writes one piece per token at the pace; resolves true once all are written, false when the client went away or
 * the reset fault cut the connection halfway (the caller then writes nothing more).
 */
export async function paceTokens(res: ServerResponse, tokens: string[], pace: Pace, write: (token: string) => void): Promise<boolean> {
  const interval = 1000 / pace.tokensPerSecond;
  const cutAt = pace.reset ? Math.floor(tokens.length / 2) : -1;
  const { timers } = pace;
  const start = timers.now();
  for (let i = 0; i < tokens.length; i++) {
    if (i === cutAt) return cut(res);
    write(tokens[i]!);
    // Paced against the start, so timer drift does not accumulate over a long answer.
    if (i < tokens.length - 1 && !(await wait(res, start + (i + 1) * interval - timers.now(), timers))) return false;
  }
  return pace.reset ? cut(res) : true;
}

function cut(res: ServerResponse): false {
  res.destroy();
  return false;
}
