/*
 * Failure windows for APIM-SEMANTICS B3, sliding over `interval`.
 * - count rule: the timestamps of the last N failures are kept exactly (a ring of N); the rule holds when the
 *   oldest of them is inside the window. Memory is O(N) whatever the traffic.
 * - percentage rule: totals and failures in 1,000 slots per interval (resolution interval/1000, e.g. 60 ms for
 *   PT1M), so memory stays bounded at any request rate. A slot counts while its start is inside the window.
 */

export interface FailureWindow {
  /** Records one response or failure at `now`; returns whether the rule now holds (the breaker should trip). */
  record(now: number, failure: boolean): boolean;
  clear(): void;
  /** Failures and totals inside the window at `now` (for status and explanations). */
  counts(now: number): { failures: number; total: number };
}

export class CountWindow implements FailureWindow {
  private readonly times: number[] = [];
  private head = 0;

  constructor(
    private readonly threshold: number,
    private readonly intervalMs: number,
  ) {}

  record(now: number, failure: boolean): boolean {
    if (!failure) return false;
    // Ring of the last `threshold` failure times; grows lazily so a huge threshold costs only what is used.
    if (this.times.length < this.threshold) {
      this.times.push(now);
      return this.times.length === this.threshold && now - this.times[0]! < this.intervalMs;
    }
    this.times[this.head] = now;
    this.head = (this.head + 1) % this.threshold;
    return now - this.times[this.head]! < this.intervalMs;
  }

  clear(): void {
    this.times.length = 0;
    this.head = 0;
  }

  counts(now: number): { failures: number; total: number } {
    let failures = 0;
    for (const t of this.times) if (now - t < this.intervalMs) failures++;
    return { failures, total: failures };
  }
}

const SLOTS = 1000;

export class PercentageWindow implements FailureWindow {
  private readonly slotMs: number;
  private readonly starts = new Float64Array(SLOTS).fill(-Infinity);
  private readonly totals = new Uint32Array(SLOTS);
  private readonly fails = new Uint32Array(SLOTS);

  constructor(
    private readonly percentage: number,
    private readonly intervalMs: number,
  ) {
    this.slotMs = Math.max(1, intervalMs / SLOTS);
  }

  record(now: number, failure: boolean): boolean {
    const slotStart = Math.floor(now / this.slotMs) * this.slotMs;
    const i = Math.floor(now / this.slotMs) % SLOTS;
    if (this.starts[i] !== slotStart) {
      this.starts[i] = slotStart;
      this.totals[i] = 0;
      this.fails[i] = 0;
    }
    this.totals[i]!++;
    if (failure) this.fails[i]!++;
    if (!failure) return false; // B3: a trip needs a failure
    const { failures, total } = this.counts(now);
    return failures > 0 && failures * 100 >= this.percentage * total;
  }

  clear(): void {
    this.starts.fill(-Infinity);
    this.totals.fill(0);
    this.fails.fill(0);
  }

  counts(now: number): { failures: number; total: number } {
    let failures = 0;
    let total = 0;
    // A slot is inside when its whole span lies after now - interval, rounded to the slot grid.
    const from = now - this.intervalMs;
    for (let i = 0; i < SLOTS; i++) {
      const s = this.starts[i]!;
      if (s > from && s <= now) {
        failures += this.fails[i]!;
        total += this.totals[i]!;
      }
    }
    return { failures, total };
  }
}
