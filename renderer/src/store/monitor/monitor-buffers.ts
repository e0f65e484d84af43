import type { GatewayEvent, GatewaySnapshot, GatewayStatus } from '../../../../shared/monitor';
import { RingBuffer } from './ring-buffer';

/*
 * The Monitor's high-frequency data, kept outside the zustand state (STYLE rule 9): the engine pushes one snapshot
 * a second plus events, they land in bounded rings here, and the charts subscribe to this object directly. A burst of
 * failover events (hundreds a second under load) is coalesced into one notification, so React renders at most a few
 * times a second however busy the gateway is. Nothing here grows with uptime.
 */

/** One backend's second, compacted from the snapshot: what the charts and cards plot. */
export interface BackendFrame {
  rq: number;
  ok: number;
  fail: number;
  s429: number;
  p50: number | null;
  p99: number | null;
  tok: number;
  open: boolean;
  /** Failover events from this backend during the second. */
  fo: number;
}

export interface Frame {
  t: number;
  b: Record<string, BackendFrame>;
  /** Requests the gateway answered itself (NoHealthyBackend, ...). */
  gw: number;
  /** The token metric of the second by API, backend and dimensions (features/token-limits charts it). */
  llm?: GatewaySnapshot['llmTokens'];
}

export type LoggedEvent = GatewayEvent & { seq: number; t: number };

export interface BreakerView {
  state: 'closed' | 'open';
  /** Epoch ms; null when closed or not known (a trip we did not see). */
  openUntil: number | null;
  reason: string | null;
}

export const EVENT_LOG_CAPACITY = 1000;
/** Trips and resets kept apart from the log, so a failover flood cannot push them off the timeline. */
export const BREAKER_EVENT_CAPACITY = 400;

const is2xx = (code: string) => code.length === 3 && code[0] === '2';

export function toFrame(s: GatewaySnapshot, failovers: Map<string, number>): Frame {
  const b: Record<string, BackendFrame> = {};
  for (const [id, x] of Object.entries(s.backends)) {
    let ok = 0;
    for (const [code, n] of Object.entries(x.byStatus)) if (is2xx(code)) ok += n;
    b[id] = {
      rq: x.requests,
      ok,
      fail: x.failures,
      s429: x.byStatus['429'] ?? 0,
      p50: x.latencyMs.p50,
      p99: x.latencyMs.p99,
      tok: x.tokens.prompt + x.tokens.completion,
      open: x.state === 'open',
      fo: failovers.get(id) ?? 0,
    };
  }
  let gw = 0;
  for (const n of Object.values(s.gatewayErrors)) gw += n;
  return { t: s.t, b, gw, ...(s.llmTokens ? { llm: s.llmTokens } : {}) };
}

export class MonitorBuffers {
  frames: RingBuffer<Frame>;
  readonly events = new RingBuffer<LoggedEvent>(EVENT_LOG_CAPACITY);
  readonly breakerEvents = new RingBuffer<LoggedEvent>(BREAKER_EVENT_CAPACITY);
  readonly breakers = new Map<string, BreakerView>();
  /** Bumped on every change; `frames`, `events` and `breakers` say what changed, so a view re-renders only for its own data. */
  version = 0;
  readonly versions = { frames: 0, events: 0, breakers: 0 };
  private seq = 0;
  private failovers = new Map<string, number>();
  private listeners = new Set<() => void>();
  private pending = false;

  constructor(
    windowSeconds: number,
    private readonly schedule: (flush: () => void) => void = (flush) => setTimeout(flush, 100),
  ) {
    this.frames = new RingBuffer<Frame>(windowSeconds);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  setWindow(seconds: number): void {
    if (seconds === this.frames.capacity) return;
    this.frames = this.frames.resized(seconds);
    this.changed('frames');
  }

  /** A new gateway process: its breakers and counters start over. */
  clear(): void {
    this.frames.clear();
    this.events.clear();
    this.breakerEvents.clear();
    this.breakers.clear();
    this.failovers.clear();
    this.changed('frames', 'events', 'breakers');
  }

  /** The breaker states of a status read (at start, after a reload): the truth until the next event. */
  applyStatus(status: GatewayStatus): void {
    for (const [id, b] of Object.entries(status.backends)) {
      this.breakers.set(id, { state: b.state, openUntil: b.openUntil ? Date.parse(b.openUntil) : null, reason: b.reason });
    }
    this.changed('breakers');
  }

  addSnapshot(s: GatewaySnapshot): void {
    this.frames.push(toFrame(s, this.failovers));
    this.failovers = new Map();
    // The snapshot's state is the engine's at the end of the second: it corrects a trip or reset we missed.
    for (const [id, x] of Object.entries(s.backends)) {
      const known = this.breakers.get(id);
      if (x.state === 'closed' && known?.state !== 'closed') this.breakers.set(id, { state: 'closed', openUntil: null, reason: null });
      if (x.state === 'open' && known?.state !== 'open') this.breakers.set(id, { state: 'open', openUntil: null, reason: null });
    }
    this.changed('frames', 'breakers');
  }

  addEvent(e: GatewayEvent): void {
    const t = Date.parse(e.at);
    const logged = { ...e, seq: ++this.seq, t: Number.isFinite(t) ? t : Date.now() } as LoggedEvent;
    this.events.push(logged);
    if (e.type === 'failover') this.failovers.set(e.backend, (this.failovers.get(e.backend) ?? 0) + 1);
    if (e.type === 'trip') {
      this.breakerEvents.push(logged);
      this.breakers.set(e.backend, { state: 'open', openUntil: Date.parse(e.openUntil), reason: e.reason });
    }
    if (e.type === 'reset') {
      this.breakerEvents.push(logged);
      this.breakers.set(e.backend, { state: 'closed', openUntil: null, reason: e.reason });
    }
    if (e.type === 'trip' || e.type === 'reset') this.changed('events', 'breakers');
    else this.changed('events');
  }

  private changed(...what: (keyof MonitorBuffers['versions'])[]): void {
    for (const w of what) this.versions[w]++;
    this.version++;
    if (this.pending) return;
    this.pending = true;
    this.schedule(() => {
      this.pending = false;
      for (const l of [...this.listeners]) l();
    });
  }
}
