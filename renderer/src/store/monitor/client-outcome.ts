import type { Frame } from './monitor-buffers';

/*
 * Issue 15 item 3: what the gateway's clients saw, the Monitor's headline. Counted per client request (the gateway's
 * final answer), not per try: a 429 that failed over and was answered 200 elsewhere is one success here, while the
 * backend that said 429 still shows it in its own numbers.
 */
export interface ClientOutcome {
  requests: number;
  ok: number;
  /** Percent answered 2xx; null without requests. */
  success: number | null;
  /** Final non-2xx statuses, most frequent first. */
  errors: { status: string; count: number }[];
  retried: number;
  /** Requests a retry turned into a 2xx. */
  saved: number;
  /** Requests the client itself gave up on (499): not counted as answered or as errors. */
  cancelled: number;
  /** False when the gateway does not report client outcomes (an older engine): the headline then says so. */
  known: boolean;
}

export function clientOutcome(frames: readonly Frame[]): ClientOutcome {
  let requests = 0;
  let ok = 0;
  let retried = 0;
  let saved = 0;
  let known = false;
  let cancelled = 0;
  const errors = new Map<string, number>();
  for (const f of frames) {
    if (!f.c) continue;
    known = true;
    requests += f.c.rq;
    ok += f.c.ok;
    retried += f.c.retried;
    saved += f.c.saved;
    for (const [status, n] of Object.entries(f.c.errors)) {
      if (status === '499') cancelled += n;
      else errors.set(status, (errors.get(status) ?? 0) + n);
    }
  }
  requests -= cancelled;
  return {
    requests,
    ok,
    // One decimal, but never rounded up to 100 % while a request failed.
    success: requests > 0 ? Math.floor((ok / requests) * 1000) / 10 : null,
    errors: [...errors.entries()].map(([status, count]) => ({ status, count })).sort((a, b) => b.count - a.count || a.status.localeCompare(b.status)),
    retried,
    saved,
    cancelled,
    known,
  };
}
