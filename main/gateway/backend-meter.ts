import type { BackendBucket, FailureReason } from '../../shared/monitor';
import { FAILURE_REASONS } from '../../shared/monitor';
import { LatencyWindow } from './latency-window';

/*
 * Per-backend metrics (STYLE rules 6 and 8): counters bumped in place on the hot path, folded once per second
 * into a ring of 1-second buckets covering the window (15 min). Totals since start feed /metrics.
 */
export const WINDOW_SECONDS = 900;
const STATUS_SLOTS = 600;
export const REASON_INDEX: Record<FailureReason, number> = Object.fromEntries(FAILURE_REASONS.map((r, i) => [r, i])) as Record<FailureReason, number>;
/** Prometheus histogram bounds, seconds (LLM calls: milliseconds to minutes). */
export const PROM_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

interface Packed {
  requests: number;
  failures: number;
  status: number[];
  reasons: number[];
  prompt: number;
  completion: number;
}

class Counts {
  requests = 0;
  failures = 0;
  readonly status = new Float64Array(STATUS_SLOTS);
  readonly reasons = new Float64Array(FAILURE_REASONS.length);
  prompt = 0;
  completion = 0;

  /** A compact copy for the ring: statuses as [code, count] pairs, so 900 slots stay small. */
  pack(): Packed {
    const status: number[] = [];
    for (let i = 0; i < STATUS_SLOTS; i++) if (this.status[i]) status.push(i, this.status[i]!);
    return { requests: this.requests, failures: this.failures, status, reasons: Array.from(this.reasons), prompt: this.prompt, completion: this.completion };
  }

  /** Takes a packed second back out (it left the window). */
  subtract(p: Packed): void {
    this.requests -= p.requests;
    this.failures -= p.failures;
    for (let i = 0; i < p.status.length; i += 2) this.status[p.status[i]!]! -= p.status[i + 1]!;
    for (let i = 0; i < p.reasons.length; i++) this.reasons[i]! -= p.reasons[i]!;
    this.prompt -= p.prompt;
    this.completion -= p.completion;
  }

  add(o: Counts, sign: 1 | -1): void {
    this.requests += sign * o.requests;
    this.failures += sign * o.failures;
    for (let i = 0; i < STATUS_SLOTS; i++) if (o.status[i]) this.status[i]! += sign * o.status[i]!;
    for (let i = 0; i < this.reasons.length; i++) this.reasons[i]! += sign * o.reasons[i]!;
    this.prompt += sign * o.prompt;
    this.completion += sign * o.completion;
  }

  reset(): void {
    this.requests = this.failures = this.prompt = this.completion = 0;
    this.status.fill(0);
    this.reasons.fill(0);
  }

  byStatus(): Record<string, number> {
    const out: Record<string, number> = {};
    for (let i = 0; i < STATUS_SLOTS; i++) if (this.status[i]) out[String(i)] = this.status[i]!;
    return out;
  }

  byReason(): Record<string, number> {
    const out: Record<string, number> = {};
    FAILURE_REASONS.forEach((r, i) => {
      if (this.reasons[i]) out[r] = this.reasons[i]!;
    });
    return out;
  }
}

export class BackendMeter {
  /**
   * `closeEndedSecond` runs before every count: the engine closes the second in progress when its clock has moved
   * past it, so a count lands in the second of the clock at which it was made (the second its events carry), even
   * when the once-a-second tick is late (a stall, a busy loop) or the clock jumped.
   */
  constructor(private readonly closeEndedSecond: () => void = () => undefined) {}

  inFlight = 0;
  /** The second in progress (hot path). */
  private readonly cur = new Counts();
  /** Sum of the buckets in the window. */
  private readonly win = new Counts();
  /** Since start, for /metrics. */
  readonly total = new Counts();
  readonly promBuckets = new Float64Array(PROM_BUCKETS.length);
  promSum = 0;
  promCount = 0;
  private readonly ring: (Packed | null)[] = new Array<Packed | null>(WINDOW_SECONDS).fill(null);
  readonly latency = new LatencyWindow(WINDOW_SECONDS);

  /** A response's status line arrived; `failed` by the backend's own rule (B4). */
  status(code: number, failed: boolean): void {
    this.closeEndedSecond();
    const s = code < STATUS_SLOTS ? code : 0;
    this.cur.requests++;
    this.total.requests++;
    this.cur.status[s]!++;
    this.total.status[s]!++;
    if (failed) this.failure('status', true);
  }

  /** A try that got no response (counted as a request), or a problem after the headers (not a new request). */
  failure(reason: FailureReason, alreadyCounted = false): void {
    this.closeEndedSecond();
    const r = REASON_INDEX[reason];
    if (!alreadyCounted && (reason === 'timeout' || reason === 'connection-failure')) {
      this.cur.requests++;
      this.total.requests++;
    }
    this.cur.reasons[r]!++;
    this.total.reasons[r]!++;
    // A client going away is recorded but is not the backend's failure.
    if (reason !== 'client-abort') {
      this.cur.failures++;
      this.total.failures++;
    }
  }

  latencyMs(ms: number): void {
    this.closeEndedSecond();
    this.latency.record(ms);
    const s = ms / 1000;
    this.promSum += s;
    this.promCount++;
    for (let i = 0; i < PROM_BUCKETS.length; i++) {
      if (s <= PROM_BUCKETS[i]!) {
        this.promBuckets[i]!++;
        break;
      }
    }
  }

  tokens(prompt: number, completion: number): void {
    this.closeEndedSecond();
    this.cur.prompt += prompt;
    this.cur.completion += completion;
    this.total.prompt += prompt;
    this.total.completion += completion;
  }

  /** Ends second `index`: returns its bucket (without state) and moves it into the window. */
  fold(index: number): Omit<BackendBucket, 'state'> {
    const i = index % WINDOW_SECONDS;
    const bucket = {
      requests: this.cur.requests,
      failures: this.cur.failures,
      byStatus: this.cur.byStatus(),
      failuresByReason: this.cur.byReason(),
      latencyMs: this.latency.fold(index),
      tokens: { prompt: this.cur.prompt, completion: this.cur.completion },
      inFlight: this.inFlight,
    };
    const old = this.ring[i];
    if (old) this.win.subtract(old);
    this.ring[i] = null;
    if (this.cur.requests > 0 || this.cur.reasons.some((v) => v > 0) || this.cur.prompt > 0 || this.cur.completion > 0) {
      this.ring[i] = this.cur.pack();
      this.win.add(this.cur, 1);
      this.cur.reset();
    }
    return bucket;
  }

  /** Window + the second in progress, for /status. */
  windowView(): { requests: number; failures: number; byStatus: Record<string, number>; failuresByReason: Record<string, number>; tokens: { prompt: number; completion: number } } {
    const c = new Counts();
    c.add(this.win, 1);
    c.add(this.cur, 1);
    return { requests: c.requests, failures: c.failures, byStatus: c.byStatus(), failuresByReason: c.byReason(), tokens: { prompt: c.prompt, completion: c.completion } };
  }
}
