import type { Agent } from 'undici';
import type { LoadTarget } from './target';
import type { LoadClock } from './virtual-clock';

export type ErrorKind = 'refused' | 'reset' | 'timeout' | 'aborted' | 'other';

/** One request as the load generator saw it. Times are ms since the run started. */
export interface RequestResult {
  /** When it should have been sent (open loop: the schedule; closed loop: when it was sent). */
  scheduledAt: number;
  sentAt: number;
  endedAt: number;
  /** From scheduledAt to the last byte: a stalled sender cannot hide latency (no coordinated omission). */
  latencyMs: number;
  /** Streaming: from scheduledAt to the first chunk with content. */
  ttftMs?: number;
  status?: number;
  /** `x-breakerboard-backend` and `x-breakerboard-attempts` when a gateway answered. */
  backend?: string;
  attempts?: number;
  error?: ErrorKind;
  /** The target's label (a drill's tenant). */
  label?: string;
}

export function errorKind(e: unknown, aborted: boolean): ErrorKind {
  if (aborted) return 'aborted';
  const err = e as { code?: string; name?: string; cause?: { code?: string } };
  const code = err?.code ?? err?.cause?.code ?? '';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED') return 'reset';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || err?.name === 'TimeoutError') return 'timeout';
  if (err?.name === 'AbortError' || code === 'UND_ERR_ABORTED') return 'aborted';
  return 'other';
}

const header = (h: Record<string, string | string[] | undefined>, name: string) => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/** A streamed chunk that carries answer text (not the role chunk, not Azure's empty filter chunk). */
const CONTENT = /"content":"[^"]/;

/**
 * Sends one request and reads the whole answer, so a connection dropped mid-body is seen as an error.
 * `time.now` is ms since the run started; the timeout runs on `time.timers` (real, or a drill's virtual clock).
 */
export async function sendOne(agent: Agent, target: LoadTarget, scheduledAt: number, time: { now: () => number; timers: LoadClock }, timeoutMs: number, stop: AbortSignal): Promise<RequestResult> {
  const clock = time.now;
  const sentAt = clock();
  const url = new URL(target.url);
  const result: RequestResult = { scheduledAt, sentAt, endedAt: sentAt, latencyMs: 0, ...(target.label !== undefined ? { label: target.label } : {}) };
  const timeout = new AbortController();
  const timer = time.timers.setTimeout(() => timeout.abort(), timeoutMs);
  const signal = AbortSignal.any([timeout.signal, stop]);
  // undici's own timeouts are real time: off in virtual time, where the clock's timer above is the bound.
  const undiciTimeout = time.timers.virtual ? 0 : timeoutMs;
  try {
    const res = await agent.request({ origin: url.origin, path: url.pathname + url.search, method: 'POST', headers: target.headers, body: target.body, signal, headersTimeout: undiciTimeout, bodyTimeout: undiciTimeout });
    result.status = res.statusCode;
    result.backend = target.servedBy ? target.servedBy(res.headers, res.statusCode) : header(res.headers, 'x-breakerboard-backend');
    const attempts = header(res.headers, 'x-breakerboard-attempts');
    if (attempts !== undefined && /^\d+$/.test(attempts)) result.attempts = Number(attempts);
    const watchContent = target.stream && res.statusCode < 300;
    for await (const chunk of res.body) {
      if (watchContent && result.ttftMs === undefined && CONTENT.test((chunk as Buffer).toString('utf8'))) result.ttftMs = clock() - scheduledAt;
    }
  } catch (e) {
    result.error = timeout.signal.aborted ? 'timeout' : errorKind(e, stop.aborted);
  }
  time.timers.clearTimeout(timer);
  result.endedAt = clock();
  result.latencyMs = result.endedAt - scheduledAt;
  return result;
}
