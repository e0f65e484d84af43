import { Agent } from 'undici';
import { LatencyHistogram, type Percentiles } from './histogram';
import { sendOne, type ErrorKind, type RequestResult } from './send-one';
import type { LoadTarget } from './target';
import { REAL_CLOCK, type LoadClock } from './virtual-clock';

export interface LoadOptions {
  target: LoadTarget;
  /** A target per request (e.g. a drill's tenants); `target` when absent. */
  targetFor?: (index: number) => LoadTarget;
  /** Open loop at this arrival rate. Without it: closed loop at `concurrency`. */
  rps?: number;
  /** Closed loop: requests in flight at once (default 10). Open loop: a cap on in-flight requests (default 10 000); requests over it wait, and their wait counts as latency. */
  concurrency?: number;
  /** Stop after this many requests and/or after this long; without either, 100 requests. */
  requests?: number;
  durationMs?: number;
  /** Per request; default 60 s. */
  timeoutMs?: number;
  onResult?: (r: RequestResult) => void;
  onProgress?: (p: LoadProgress) => void;
  progressEveryMs?: number;
  signal?: AbortSignal;
  /** Where time comes from: the real clock (default) or a drill's virtual clock (./virtual-clock). */
  clock?: LoadClock;
}

export interface LoadProgress {
  elapsedMs: number;
  sent: number;
  completed: number;
  ok: number;
  failed: number;
  inFlight: number;
}

export interface LoadReport {
  mode: 'open' | 'closed';
  rps?: number;
  concurrency: number;
  sent: number;
  completed: number;
  ok: number;
  failed: number;
  elapsedMs: number;
  /** Requests sent per second over the sending phase. */
  achievedRps: number;
  statusCounts: Record<string, number>;
  servedBy: Record<string, number>;
  errors: Partial<Record<ErrorKind, number>>;
  /** Requests the gateway tried more than once (`x-breakerboard-attempts` > 1). */
  retried: number;
  latencyMs: Percentiles;
  ttftMs?: Percentiles;
  interrupted: boolean;
}

const MAX_REQUESTS = 10_000_000;

/** Runs one bounded load and reports it. Never throws for failed requests: they are counted. */
export async function runLoad(o: LoadOptions): Promise<LoadReport> {
  const open = o.rps !== undefined && o.rps > 0;
  const concurrency = Math.max(1, Math.floor(o.concurrency ?? (open ? 10_000 : 10)));
  const limit = Math.min(MAX_REQUESTS, o.requests ?? (o.durationMs === undefined ? 100 : MAX_REQUESTS));
  const timeoutMs = o.timeoutMs ?? 60_000;
  const time = o.clock ?? REAL_CLOCK;
  const virtual = time.virtual;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  o.signal?.addEventListener('abort', onAbort);
  virtual?.stalled.addEventListener('abort', onAbort);
  if (o.signal?.aborted || virtual?.stalled.aborted) stop.abort();
  // In virtual time undici's own (real) timeouts stay off: the clock's timeout cuts a request, in clock time.
  const agent = new Agent({ connections: null, pipelining: 1, keepAliveTimeout: 10_000, connect: { timeout: virtual ? 0 : Math.min(timeoutMs, 10_000) } });
  const t0 = time.now();
  const clock = () => time.now() - t0;
  const release = virtual?.hold();
  const latency = new LatencyHistogram();
  const ttft = new LatencyHistogram();
  const r: LoadReport = { mode: open ? 'open' : 'closed', rps: o.rps, concurrency, sent: 0, completed: 0, ok: 0, failed: 0, elapsedMs: 0, achievedRps: 0, statusCounts: {}, servedBy: {}, errors: {}, retried: 0, latencyMs: latency.summary(), interrupted: false };
  let lastSentAt = 0;
  let inFlight = 0;

  const record = (res: RequestResult) => {
    r.completed++;
    latency.record(res.latencyMs);
    if (res.ttftMs !== undefined) ttft.record(res.ttftMs);
    if (res.status !== undefined) r.statusCounts[res.status] = (r.statusCounts[res.status] ?? 0) + 1;
    if (res.backend) r.servedBy[res.backend] = (r.servedBy[res.backend] ?? 0) + 1;
    if (res.error) r.errors[res.error] = (r.errors[res.error] ?? 0) + 1;
    if ((res.attempts ?? 0) > 1) r.retried++;
    if (!res.error && res.status !== undefined && res.status >= 200 && res.status < 300) r.ok++;
    else r.failed++;
    o.onResult?.(res);
  };
  const launch = async (scheduledAt: number) => {
    r.sent++;
    inFlight++;
    virtual?.requestStarted();
    lastSentAt = clock();
    const res = await sendOne(agent, o.targetFor?.(r.sent - 1) ?? o.target, scheduledAt, { now: clock, timers: time }, timeoutMs, stop.signal);
    inFlight--;
    record(res);
    virtual?.requestEnded();
  };
  const progress = o.onProgress
    ? setInterval(() => o.onProgress!({ elapsedMs: clock(), sent: r.sent, completed: r.completed, ok: r.ok, failed: r.failed, inFlight }), o.progressEveryMs ?? 1000)
    : undefined;
  const deadline = o.durationMs ?? Infinity;

  try {
    if (open) await openLoop(o.rps!, Math.min(limit, Number.isFinite(deadline) ? Math.ceil((deadline * o.rps!) / 1000) : limit), concurrency, clock, time, launch, stop.signal);
    else await closedLoop(concurrency, limit, deadline, clock, launch, stop.signal);
  } finally {
    // Virtual time stops with the last answer: nothing after the load (a later reset timer) happens in the run.
    release?.();
    if (progress) clearInterval(progress);
    o.signal?.removeEventListener('abort', onAbort);
    virtual?.stalled.removeEventListener('abort', onAbort);
    r.interrupted = o.signal?.aborted ?? false;
    r.elapsedMs = Math.round(clock());
    await agent.close().catch(() => undefined);
  }
  const interval = open ? 1000 / o.rps! : 0;
  const sendingMs = lastSentAt + interval;
  r.achievedRps = sendingMs > 0 ? Math.round((r.sent / sendingMs) * 1000 * 100) / 100 : 0;
  r.latencyMs = latency.summary();
  if (o.target.stream) r.ttftMs = ttft.summary();
  return r;
}

/**
 * Request i is due at i / rps, whatever happened to earlier ones. A late timer sends every overdue request at
 * once, and each one's latency still counts from its due time.
 */
async function openLoop(rps: number, total: number, cap: number, clock: () => number, timers: LoadClock, launch: (at: number) => Promise<void>, stop: AbortSignal): Promise<void> {
  const interval = 1000 / rps;
  const pending = new Set<Promise<void>>();
  const waiting: number[] = [];
  let i = 0;
  const start = (at: number) => {
    const p = launch(at).finally(() => {
      pending.delete(p);
      const next = waiting.shift();
      if (next !== undefined && !stop.aborted) start(next);
    });
    pending.add(p);
  };
  await new Promise<void>((resolve) => {
    const tick = () => {
      if (stop.aborted) return resolve();
      const now = clock();
      while (i < total && i * interval <= now) {
        if (pending.size < cap) start(i * interval);
        else waiting.push(i * interval);
        i++;
      }
      if (i >= total) return resolve();
      timers.setTimeout(tick, Math.max(0, i * interval - clock()));
    };
    stop.addEventListener('abort', () => resolve(), { once: true });
    tick();
  });
  while (pending.size > 0) await Promise.race(pending);
}

async function closedLoop(concurrency: number, total: number, deadline: number, clock: () => number, launch: (at: number) => Promise<void>, stop: AbortSignal): Promise<void> {
  let issued = 0;
  const worker = async () => {
    while (issued < total && clock() < deadline && !stop.aborted) {
      issued++;
      await launch(clock());
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
}
