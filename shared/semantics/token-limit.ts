import type { TokenLimit } from '../model/schema';

/*
 * The token limit of `azure-openai-token-limit` / `llm-token-limit` (docs/apim-fidelity.md F-TOKEN-*), pure, with
 * the clock passed in. Per counter key:
 * - tokens-per-minute: a sliding window of one minute (divided by `speed` in drills), kept as at most 600 slots, so
 *   memory stays bounded at any request rate. A slot is stamped with its END, so a charge never leaves the window
 *   earlier than it really should: a Retry-After computed from it is never too short.
 * - token-quota: a fixed window that starts at the UTC time truncated to the period's unit (Learn), weeks on Monday.
 * Over the rate → 429; over the quota → 403 (Learn). The quota is checked first: it lasts longer, so it is the
 * answer that tells the client the truth about when to come back.
 */

export const MINUTE_MS = 60_000;
const SLOTS = 600;
/** Beyond this many counter keys, keys whose window is empty are dropped (a header key is client-chosen). */
const MAX_KEYS = 10_000;

export type TokenDecision =
  | { ok: true; remainingTokens?: number; remainingQuota?: number }
  | { ok: false; status: 429 | 403; code: 'TokenLimitExceeded' | 'TokenQuotaExceeded'; retryAfterMs: number; message: string; remainingTokens?: number; remainingQuota?: number };

export type QuotaPeriod = NonNullable<TokenLimit['quota']>['period'];

/** Start and end (ms, UTC) of the quota period that holds `now` (Learn: the UTC timestamp truncated to the unit). */
export function quotaPeriodBounds(period: QuotaPeriod, now: number): { start: number; end: number } {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  switch (period) {
    case 'Hourly': {
      const start = Date.UTC(y, m, day, d.getUTCHours());
      return { start, end: start + 3_600_000 };
    }
    case 'Daily': {
      const start = Date.UTC(y, m, day);
      return { start, end: start + 86_400_000 };
    }
    case 'Weekly': {
      // ISO weeks start on Monday (getUTCDay: 0 = Sunday).
      const back = (d.getUTCDay() + 6) % 7;
      const start = Date.UTC(y, m, day - back);
      return { start, end: start + 7 * 86_400_000 };
    }
    case 'Monthly':
      return { start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1) };
    case 'Yearly':
      return { start: Date.UTC(y, 0, 1), end: Date.UTC(y + 1, 0, 1) };
  }
}

/** One key's sliding window: slots of window/600, oldest first, each stamped with the end of its slot. */
class SlidingTokens {
  private readonly ends: number[] = [];
  private readonly tokens: number[] = [];
  private sum = 0;

  constructor(private readonly windowMs: number) {}

  private get slotMs(): number {
    return this.windowMs / SLOTS;
  }

  private prune(now: number): void {
    let drop = 0;
    while (drop < this.ends.length && this.ends[drop]! + this.windowMs <= now) this.sum -= this.tokens[drop++]!;
    if (drop > 0) {
      this.ends.splice(0, drop);
      this.tokens.splice(0, drop);
    }
  }

  used(now: number): number {
    this.prune(now);
    return Math.max(0, this.sum);
  }

  /** Charges `tokens` at time `at` (which may lie in the past, to correct an estimate where it was made). */
  add(at: number, tokens: number, now: number): void {
    this.prune(now);
    if (tokens === 0) return;
    const end = (Math.floor(at / this.slotMs) + 1) * this.slotMs;
    if (end + this.windowMs <= now) return; // already outside the window
    let i = this.ends.length - 1;
    while (i >= 0 && this.ends[i]! > end) i--;
    if (i >= 0 && this.ends[i] === end) this.tokens[i]! += tokens;
    else {
      this.ends.splice(i + 1, 0, end);
      this.tokens.splice(i + 1, 0, tokens);
    }
    this.sum += tokens;
  }

  /** Milliseconds from `now` until at least `need` tokens have left the window (the window length if never). */
  msUntilFreed(need: number, now: number): number {
    this.prune(now);
    let freed = 0;
    for (let i = 0; i < this.ends.length; i++) {
      freed += this.tokens[i]!;
      if (freed >= need) return Math.max(0, this.ends[i]! + this.windowMs - now);
    }
    return this.windowMs;
  }
}

interface KeyState {
  rate?: SlidingTokens;
  quota?: { start: number; end: number; used: number };
}

export interface TokenLimiterOptions {
  /** Drill speed: the minute window is divided by it (quota periods stay calendar periods). */
  speed?: number;
}

/** The counters of one token-limit policy (one API): one state per counter-key value. */
export class TokenLimiter {
  readonly windowMs: number;
  private readonly keys = new Map<string, KeyState>();

  constructor(
    readonly spec: Pick<TokenLimit, 'tokensPerMinute' | 'quota'>,
    opts: TokenLimiterOptions = {},
  ) {
    this.windowMs = MINUTE_MS / (opts.speed && opts.speed > 0 ? opts.speed : 1);
  }

  private state(key: string, now: number): KeyState {
    let s = this.keys.get(key);
    if (!s) {
      if (this.keys.size >= MAX_KEYS) this.sweep(now);
      s = {};
      if (this.spec.tokensPerMinute !== undefined) s.rate = new SlidingTokens(this.windowMs);
      this.keys.set(key, s);
    }
    if (this.spec.quota && (!s.quota || now >= s.quota.end)) s.quota = { ...quotaPeriodBounds(this.spec.quota.period, now), used: 0 };
    return s;
  }

  private sweep(now: number): void {
    for (const [k, s] of this.keys) if ((s.rate?.used(now) ?? 0) === 0 && (s.quota?.used ?? 0) === 0) this.keys.delete(k);
  }

  /** Counter keys seen so far (for status and tests). */
  keyNames(): string[] {
    return [...this.keys.keys()];
  }

  /** What is left for `key` at `now` (undefined for a limit the policy does not set). */
  remaining(key: string, now: number): { remainingTokens?: number; remainingQuota?: number } {
    const s = this.state(key, now);
    return {
      ...(s.rate ? { remainingTokens: Math.max(0, this.spec.tokensPerMinute! - s.rate.used(now)) } : {}),
      ...(s.quota ? { remainingQuota: Math.max(0, this.spec.quota!.tokens - s.quota.used) } : {}),
    };
  }

  /**
   * Admission before any backend is called. Without an estimate, a key is refused once its usage has reached the
   * limit (Learn: a prompt that exceeds it is detected in the response and the following requests are blocked);
   * with an estimate, when usage plus the estimate would exceed it. An admitted estimate is charged at once.
   */
  admit(key: string, now: number, estimate = 0): TokenDecision {
    const s = this.state(key, now);
    const limit = this.spec.tokensPerMinute;
    const quota = this.spec.quota;
    if (s.quota && quota) {
      const over = estimate > 0 ? s.quota.used + estimate > quota.tokens : s.quota.used >= quota.tokens;
      if (over) {
        return {
          ok: false,
          status: 403,
          code: 'TokenQuotaExceeded',
          retryAfterMs: s.quota.end - now,
          message: `the token quota of ${quota.tokens} per ${periodWord(quota.period)} for this counter key is used up (${s.quota.used} used${estimate > 0 ? `, this prompt is estimated at ${estimate}` : ''}); it resets at ${new Date(s.quota.end).toISOString()}`,
          ...this.remaining(key, now),
        };
      }
    }
    if (s.rate && limit !== undefined) {
      const used = s.rate.used(now);
      const over = estimate > 0 ? used + estimate > limit : used >= limit;
      if (over) {
        const need = estimate > 0 ? used + estimate - limit : used - limit + 1;
        const retryAfterMs = estimate > limit ? this.windowMs : s.rate.msUntilFreed(need, now);
        const why = estimate > limit ? `this prompt alone is estimated at ${estimate} tokens, more than the limit` : `${used} tokens used in the last minute${estimate > 0 ? `, this prompt is estimated at ${estimate}` : ''}`;
        return { ok: false, status: 429, code: 'TokenLimitExceeded', retryAfterMs, message: `token limit of ${limit} tokens per minute for this counter key exceeded (${why})`, ...this.remaining(key, now) };
      }
    }
    if (estimate > 0) this.charge(key, now, now, estimate);
    return { ok: true, ...this.remaining(key, now) };
  }

  /** Charges `tokens` for `key`: into the minute window at `at`, and into the quota period that holds `now`. */
  charge(key: string, at: number, now: number, tokens: number): void {
    const s = this.state(key, now);
    s.rate?.add(at, tokens, now);
    if (s.quota) s.quota.used = Math.max(0, s.quota.used + tokens);
  }

  /**
   * The answer's usage, charged after it: the prompt where the request arrived (replacing the estimate charged
   * there), the completion when the answer ended. Unknown usage leaves the estimate as it was.
   */
  settle(key: string, arrivedAt: number, now: number, estimate: number, usage: { prompt: number; completion: number } | null): void {
    if (!usage) return;
    this.charge(key, arrivedAt, now, usage.prompt - estimate);
    this.charge(key, now, now, usage.completion);
  }
}

function periodWord(p: QuotaPeriod): string {
  return ({ Hourly: 'hour', Daily: 'day', Weekly: 'week', Monthly: 'month', Yearly: 'year' } as const)[p];
}
