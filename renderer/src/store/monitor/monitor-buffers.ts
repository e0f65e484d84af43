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

/** What the gateway's clients got in one second: one count per request, whatever the tries behind it. */
export interface ClientFrame {
  rq: number;
  ok: number;
  /** Final statuses that were not 2xx, by code. */
  errors: Record<string, number>;
  /** Requests that took more than one try, and those of them that still ended 2xx. */
  retried: number;
  saved: number;
}

export interface Frame {
  t: number;
  b: Record<string, BackendFrame>;
  /** Requests the gateway answered itself (NoHealthyBackend, ...). */
  gw: number;
  /** Null from an engine that does not report it. */
  c?: ClientFrame | null;
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
/** The frames kept: the gateway's whole history (15 minutes), whatever window is shown. */
export const FRAME_CAPACITY = 900;
/** Trips and resets kept apart from the log, so a failover flood cannot push them off the timeline. */
export const BREAKER_EVENT_CAPACITY = 400;
/** Live snapshots the clock estimate looks back over (one a second): long enough to find one delivered promptly. */
const OFFSET_SAMPLES = 10;

const is2xx = (code: string) => code.length === 3 && code[0] === '2';

function clientFrame(s: GatewaySnapshot): ClientFrame | null {
  if (!s.client) return null;
  let ok = 0;
  const errors: Record<string, number> = {};
  for (const [code, n] of Object.entries(s.client.byStatus)) {
    if (is2xx(code)) ok += n;
    else errors[code] = n;
  }
  return { rq: s.client.requests, ok, errors, retried: s.client.retried, saved: s.client.saved };
}

export function toFrame(s: GatewaySnapshot, failovers: ReadonlyMap<string, number> = new Map()): Frame {
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
  return { t: s.t, b, gw, c: clientFrame(s), ...(s.llmTokens ? { llm: s.llmTokens } : {}) };
}

const secondOf = (t: number) => Math.floor(t / 1000) * 1000;

export class MonitorBuffers {
  frames: RingBuffer<Frame>;
  readonly events = new RingBuffer<LoggedEvent>(EVENT_LOG_CAPACITY);
  readonly breakerEvents = new RingBuffer<LoggedEvent>(BREAKER_EVENT_CAPACITY);
  readonly breakers = new Map<string, BreakerView>();
  /** Bumped on every change; `frames`, `events` and `breakers` say what changed, so a view re-renders only for its own data. */
  version = 0;
  readonly versions = { frames: 0, events: 0, breakers: 0 };
  /** The gateway's clock minus this one's, from recent snapshots: countdowns run on the gateway's time. */
  clockOffsetMs = 0;
  /**
   * Offsets measured from recent live snapshots. Each is the true offset minus that snapshot's delivery delay (it
   * left the gateway when its second closed, and arrived later), so the largest is the closest: a minimum-delay
   * filter, as NTP uses. Taking the newest alone made a countdown read a second or more long on a busy machine.
   */
  private offsetSamples: number[] = [];
  private seq = 0;
  /** Failovers by the second they happened in (the event's own time), until that second's frame arrives. */
  private failovers = new Map<number, Map<string, number>>();
  private listeners = new Set<() => void>();
  private pending = false;

  constructor(
    capacitySeconds: number = FRAME_CAPACITY,
    private readonly schedule: (flush: () => void) => void = (flush) => setTimeout(flush, 100),
    private readonly localNow: () => number = () => Date.now(),
  ) {
    this.frames = new RingBuffer<Frame>(capacitySeconds);
  }

  /** Now on the gateway's clock (estimated: the newest snapshot closed its second when it arrived). */
  gatewayNow(): number {
    return this.localNow() + this.clockOffsetMs;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** A new gateway process: its breakers and counters start over. */
  clear(): void {
    this.frames.clear();
    this.events.clear();
    this.breakerEvents.clear();
    this.breakers.clear();
    this.failovers.clear();
    this.offsetSamples = [];
    this.changed('frames', 'events', 'breakers');
  }

  /** The breaker states of a status read (at start, after a reload): the truth until the next event. */
  applyStatus(status: GatewayStatus): void {
    // `at` is the gateway's now: the clock estimate holds before the first live snapshot (a reload's countdowns).
    const at = Date.parse(status.at);
    if (Number.isFinite(at)) {
      // A status read starts over (a reload, another gateway): earlier samples may be of another clock.
      this.offsetSamples = [];
      this.noteOffset(at - this.localNow());
    }
    for (const [id, b] of Object.entries(status.backends)) {
      this.breakers.set(id, { state: b.state, openUntil: b.openUntil ? Date.parse(b.openUntil) : null, reason: b.reason });
    }
    this.changed('breakers');
  }

  /** `live`: it arrived just now (not from the history), so it also tells the gateway's clock. */
  addSnapshot(s: GatewaySnapshot, live = false): void {
    this.frames.push(toFrame(s, this.failovers.get(s.t)));
    for (const second of [...this.failovers.keys()]) if (second <= s.t) this.failovers.delete(second);
    if (live) this.noteOffset(s.t + 1000 - this.localNow());
    // The snapshot's state is the engine's at the end of the second: it corrects a trip or reset we missed.
    for (const [id, x] of Object.entries(s.backends)) {
      const known = this.breakers.get(id);
      if (x.state === 'closed' && known?.state !== 'closed') this.breakers.set(id, { state: 'closed', openUntil: null, reason: null });
      if (x.state === 'open' && known?.state !== 'open') this.breakers.set(id, { state: 'open', openUntil: null, reason: null });
    }
    this.changed('frames', 'breakers');
  }

  private noteOffset(sample: number): void {
    this.offsetSamples.push(sample);
    if (this.offsetSamples.length > OFFSET_SAMPLES) this.offsetSamples.shift();
    this.clockOffsetMs = Math.max(...this.offsetSamples);
  }

  addEvent(e: GatewayEvent): void {
    const t = Date.parse(e.at);
    const logged = { ...e, seq: ++this.seq, t: Number.isFinite(t) ? t : this.gatewayNow() } as LoggedEvent;
    this.events.push(logged);
    if (e.type === 'failover') this.countFailover(e.backend, logged.t);
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

  /** Into the frame of the second it happened in: pending until that frame arrives, or into it when it is here. */
  private countFailover(backend: string, t: number): void {
    const second = secondOf(t);
    const frame = this.frameAt(second);
    if (frame) {
      const b = frame.b[backend];
      if (b) b.fo++;
      this.changed('frames');
      return;
    }
    let m = this.failovers.get(second);
    if (!m) this.failovers.set(second, (m = new Map()));
    m.set(backend, (m.get(backend) ?? 0) + 1);
  }

  /** The frame of second `t`, searched from the newest (late events are for recent seconds). */
  private frameAt(t: number): Frame | undefined {
    for (let i = this.frames.size - 1; i >= 0; i--) {
      const f = this.frames.at(i)!;
      if (f.t === t) return f;
      if (f.t < t) return undefined;
    }
    return undefined;
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
