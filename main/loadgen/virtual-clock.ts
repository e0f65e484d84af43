/*
 * Time for the load generator and drills: the real clock, or a virtual one shared by the load generator, the
 * gateway engine and the simulated backends (`drill --virtual-time`).
 *
 * Virtual time moves only when nothing is happening that does not wait on it: every request the load generator
 * has in flight is parked on one of the simulator's timers (its latency, its stream pace, a hang), and the load
 * generator still wants time to pass. Then the clock jumps to the earliest timer and fires it, alone; ties fire in
 * the order they were set. The requests themselves still go through real sockets, the real gateway and the real
 * simulated backends; only their clocks and timers are this one, so a drill gives the same report on an idle
 * laptop and on a saturated CI box, and a 90 s drill takes as long as its requests take to process.
 */

/** What the load generator reads time from and waits on. */
export interface LoadClock {
  /** Milliseconds, monotonic. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Virtual time: the load generator's requests are work the clock waits for, and it holds the clock while it runs. */
  virtual?: {
    requestStarted(): void;
    requestEnded(): void;
    /** Time passes only while someone holds the clock; the returned function lets go. */
    hold(): () => void;
    /** Aborted when virtual time cannot move on (a request neither answered nor parked on a timer). */
    stalled: AbortSignal;
  };
}

export const REAL_CLOCK: LoadClock = {
  now: () => performance.now(),
  // Node turns delays past 2^31-1 ms into 1 ms: clamp (a timeout that long never fires in a bounded run anyway).
  setTimeout: (fn, ms) => setTimeout(fn, Math.min(ms, 2_147_483_647)),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Timers as the engine and the simulator take them. */
export interface ClockTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  /** A simulated request waiting on this timer (counted as parked work). */
  parks: boolean;
  done: boolean;
}

/** How long (real ms) nothing may change while a request neither answers nor parks, before the run is called stalled. */
const DEFAULT_STALL_MS = 30_000;

export class VirtualClock implements LoadClock {
  private t = 0;
  private seq = 0;
  /** Pending timers, sorted by (at, seq). Few at a time: the requests in flight, the next arrival, the timeline. */
  private readonly timers: Timer[] = [];
  /** Requests in flight minus those parked on a simulator timer: > 0 means real work is under way. */
  private working = 0;
  private holds = 0;
  private scheduled = false;
  private watchdog: NodeJS.Timeout | undefined;
  private readonly stall = new AbortController();
  readonly stalled = this.stall.signal;
  readonly virtual: NonNullable<LoadClock['virtual']>;

  constructor(private readonly stallMs = DEFAULT_STALL_MS) {
    this.virtual = {
      requestStarted: () => this.change(1),
      requestEnded: () => this.change(-1),
      hold: () => {
        this.holds++;
        this.kick();
        let held = true;
        return () => {
          if (!held) return;
          held = false;
          this.holds--;
          if (this.holds === 0) this.disarm();
        };
      },
      stalled: this.stalled,
    };
  }

  readonly now = (): number => this.t;

  readonly setTimeout = (fn: () => void, ms: number): unknown => this.add(fn, ms, false);

  readonly clearTimeout = (handle: unknown): void => {
    const timer = handle as Timer | undefined;
    if (!timer || timer.done) return;
    timer.done = true;
    const i = this.timers.indexOf(timer);
    if (i >= 0) this.timers.splice(i, 1);
    if (timer.parks) this.change(1);
  };

  /** An epoch-based view for the gateway engine (ISO times in events): `origin` + virtual ms. */
  epoch(origin: number): () => number {
    return () => origin + this.t;
  }

  /** Timers for the simulated backends: each wait parks the request it belongs to until it fires or is cleared. */
  simulatorTimers(): ClockTimers {
    return {
      now: this.now,
      setTimeout: (fn, ms) => {
        const timer = this.add(fn, ms, true);
        this.change(-1);
        return timer;
      },
      clearTimeout: this.clearTimeout,
    };
  }

  private add(fn: () => void, ms: number, parks: boolean): Timer {
    const delay = Number.isNaN(ms) ? 0 : Math.max(0, ms);
    const timer: Timer = { at: this.t + delay, seq: this.seq++, fn, parks, done: false };
    let i = this.timers.length;
    while (i > 0 && this.timers[i - 1]!.at > timer.at) i--;
    this.timers.splice(i, 0, timer);
    this.kick();
    return timer;
  }

  private change(delta: number): void {
    this.working += delta;
    this.kick();
  }

  /*
   * Looks again once the current macrotask and its microtasks are through: a timer that fires can start new work
   * (an answer written, the next token, the next arrival) only in callbacks that run before setImmediate's.
   */
  private kick(): void {
    if (this.holds === 0 || this.stall.signal.aborted) return;
    this.arm();
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.step();
    });
  }

  private step(): void {
    if (this.holds === 0 || this.working !== 0 || this.stall.signal.aborted) return;
    const next = this.timers[0];
    // Only timers at infinity left (a hang) and no work: nothing will ever happen; wait for the watchdog.
    if (!next || !Number.isFinite(next.at)) return;
    this.timers.shift();
    next.done = true;
    this.t = Math.max(this.t, next.at);
    if (next.parks) this.working++;
    next.fn();
    this.kick();
  }

  /** The watchdog restarts on every change: it fires only when the clock is held and nothing moved for `stallMs`. */
  private arm(): void {
    if (this.watchdog) {
      this.watchdog.refresh();
      return;
    }
    this.watchdog = setTimeout(() => {
      this.stall.abort(new Error(`virtual time stalled at ${Math.round(this.t)} ms: ${this.working} request(s) in flight neither answered nor waiting on a timer for ${this.stallMs / 1000} s`));
    }, this.stallMs);
    this.watchdog.unref();
  }

  private disarm(): void {
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
  }
}
