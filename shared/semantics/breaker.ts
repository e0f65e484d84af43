import type { StatusRange } from '../model/schema';
import { CountWindow, PercentageWindow, type FailureWindow } from './sliding-window';

/** A breaker rule with its durations in milliseconds (already divided by the drill speed, if any). */
export interface CompiledRule {
  name: string;
  count?: number;
  percentage?: number;
  intervalMs: number;
  tripMs: number;
  ranges: readonly StatusRange[];
  acceptRetryAfter: boolean;
}

/** Why a request got no response at all (APIM-SEMANTICS B4). */
export type TransportFailure = 'timeout' | 'connection-failure';

/** What one try at a backend produced: a status line, or no response. */
export type Outcome = { status: number; retryAfterMs?: number } | { failure: TransportFailure };

export type BreakerChange =
  | { kind: 'trip'; openUntil: number; reason: string; retryAfterMs?: number }
  | { kind: 'extend'; openUntil: number; reason: string; retryAfterMs?: number };

/** Whether an outcome counts as a failure for this rule (B4): a status in any range, or no response. */
export function isFailure(rule: CompiledRule | undefined, outcome: Outcome): boolean {
  if ('failure' in outcome) return true;
  if (!rule) return false;
  for (const r of rule.ranges) if (outcome.status >= r.min && outcome.status <= r.max) return true;
  return false;
}

function describe(outcome: Outcome, retryAfterMs: number | undefined, speedless?: number): string {
  const what = 'failure' in outcome ? outcome.failure : String(outcome.status);
  return retryAfterMs !== undefined ? `${what}, Retry-After ${Math.round((speedless ?? retryAfterMs) / 1000)}` : what;
}

/**
 * One backend's circuit breaker (APIM-SEMANTICS B3–B5), a synchronous function of its state and `now`.
 * Closed → open when the rule's window holds; open until `openUntil`, then fully closed (no half-open), with the
 * window emptied at the trip so old failures cannot trip it again at once.
 */
export class Breaker {
  openUntil = 0;
  reason: string | null = null;
  private readonly window: FailureWindow | undefined;

  constructor(readonly rule: CompiledRule | undefined) {
    if (rule?.count !== undefined) this.window = new CountWindow(rule.count, rule.intervalMs);
    else if (rule?.percentage !== undefined) this.window = new PercentageWindow(rule.percentage, rule.intervalMs);
  }

  isOpen(now: number): boolean {
    return now < this.openUntil;
  }

  /**
   * Records one outcome. `retryAfterMs` is the response's Retry-After already converted to ms (and divided by the
   * drill speed); `retryAfterRawMs` the undivided value, used only in the reason text.
   */
  record(now: number, outcome: Outcome, retryAfterRawMs?: number): BreakerChange | null {
    const rule = this.rule;
    if (!rule || !this.window) return null;
    const failure = isFailure(rule, outcome);
    const retryAfterMs = 'status' in outcome && rule.acceptRetryAfter && outcome.retryAfterMs !== undefined && outcome.retryAfterMs > 0 ? outcome.retryAfterMs : undefined;
    if (this.isOpen(now)) {
      // B5: an in-flight request that fails while open extends the open time if its own would end later.
      if (!failure) return null;
      const until = now + (retryAfterMs ?? rule.tripMs);
      if (until <= this.openUntil) return null;
      this.openUntil = until;
      this.reason = describe(outcome, retryAfterMs, retryAfterRawMs);
      return { kind: 'extend', openUntil: until, reason: this.reason, retryAfterMs };
    }
    if (this.openUntil !== 0) this.close(); // openUntil passed: fully closed before this outcome counts
    if (!this.window.record(now, failure)) return null;
    this.openUntil = now + (retryAfterMs ?? rule.tripMs);
    this.reason = describe(outcome, retryAfterMs, retryAfterRawMs);
    this.window.clear();
    return { kind: 'trip', openUntil: this.openUntil, reason: this.reason, retryAfterMs };
  }

  /** Closes the breaker (timer at openUntil, or by hand); the window starts empty. */
  close(): void {
    this.openUntil = 0;
    this.reason = null;
    this.window?.clear();
  }

  /** Failures and totals inside the current window. */
  windowCounts(now: number): { failures: number; total: number } {
    return this.window?.counts(now) ?? { failures: 0, total: 0 };
  }
}
