/*
 * Azure OpenAI's capacity: a deployment admits so many tokens and requests per minute. Here: a sliding window
 * over the last `windowMs` (a minute, divided by a drill's speed). Tokens are charged at admission from the
 * estimate (prompt + max_tokens), as the service does, so a request is refused before it runs.
 * Pure: the caller passes `now`, so tests drive time instead of sleeping.
 */
export interface BudgetLimits {
  tokensPerWindow?: number;
  requestsPerWindow?: number;
  windowMs: number;
}

export interface BudgetState {
  /** Left in the window after this decision; undefined when that budget is unlimited. */
  remainingTokens?: number;
  remainingRequests?: number;
}

export type BudgetDecision =
  | ({ ok: true } & BudgetState)
  | ({ ok: false; reason: 'tokens' | 'requests'; retryAfterMs: number } & BudgetState);

interface Entry {
  at: number;
  tokens: number;
}

export class SlidingBudget {
  private entries: Entry[] = [];
  private head = 0;
  private usedTokens = 0;

  constructor(private readonly limits: BudgetLimits) {}

  /** Admits a request costing `tokens` at `now`, or says how long until it would fit. */
  take(now: number, tokens: number): BudgetDecision {
    this.prune(now);
    const { tokensPerWindow: tpw, requestsPerWindow: rpw, windowMs } = this.limits;
    const count = this.entries.length - this.head;
    let reason: 'tokens' | 'requests' | undefined;
    let waitMs = 0;
    if (rpw !== undefined && count + 1 > rpw) {
      reason = 'requests';
      waitMs = this.expiryOf(count + 1 - rpw, now);
    }
    if (tpw !== undefined && this.usedTokens + tokens > tpw) {
      const wait = tokens > tpw ? windowMs : this.waitForTokens(this.usedTokens + tokens - tpw, now);
      if (wait >= waitMs) {
        reason = 'tokens';
        waitMs = wait;
      }
    }
    if (reason) return { ok: false, reason, retryAfterMs: Math.max(1, Math.ceil(waitMs)), ...this.state() };
    this.entries.push({ at: now, tokens });
    this.usedTokens += tokens;
    return { ok: true, ...this.state() };
  }

  state(now?: number): BudgetState {
    if (now !== undefined) this.prune(now);
    const { tokensPerWindow: tpw, requestsPerWindow: rpw } = this.limits;
    return {
      remainingTokens: tpw === undefined ? undefined : Math.max(0, tpw - this.usedTokens),
      remainingRequests: rpw === undefined ? undefined : Math.max(0, rpw - (this.entries.length - this.head)),
    };
  }

  private prune(now: number): void {
    const from = now - this.limits.windowMs;
    while (this.head < this.entries.length && this.entries[this.head]!.at <= from) {
      this.usedTokens -= this.entries[this.head]!.tokens;
      this.head++;
    }
    // Compact now and then so the array does not grow for the life of the server.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  /** Time until the k-th oldest entry leaves the window. */
  private expiryOf(k: number, now: number): number {
    const e = this.entries[this.head + k - 1];
    return e ? e.at + this.limits.windowMs - now : 0;
  }

  /** Time until at least `excess` tokens have left the window. */
  private waitForTokens(excess: number, now: number): number {
    let freed = 0;
    for (let i = this.head; i < this.entries.length; i++) {
      freed += this.entries[i]!.tokens;
      if (freed >= excess) return this.entries[i]!.at + this.limits.windowMs - now;
    }
    return this.limits.windowMs;
  }
}
