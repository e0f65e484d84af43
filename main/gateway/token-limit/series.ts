/*
 * The token metric as the policy would send it (F-TOKEN-8): prompt and completion tokens per API, backend and the
 * configured dimensions. Totals feed `/metrics` (breakerboard_llm_tokens_total); the tokens of the current second
 * go into the gateway's snapshot, so the Monitor charts them per dimension. Series are bounded: a dimension read
 * from a client header could otherwise grow without end.
 */

export interface LlmTokenSample {
  api: string;
  backend: string;
  /** Prometheus label name → value, in the policy's dimension order. */
  dimensions: Record<string, string>;
  prompt: number;
  completion: number;
}

export const MAX_SERIES = 5000;

export class LlmTokenSeries {
  private readonly totals = new Map<string, LlmTokenSample>();
  private second = new Map<string, LlmTokenSample>();
  /** Samples that did not fit under MAX_SERIES (reported, never silently lost). */
  dropped = 0;

  add(api: string, backend: string, dimensions: Record<string, string>, prompt: number, completion: number): void {
    const key = `${api}\u0000${backend}\u0000${Object.entries(dimensions).flat().join('\u0000')}`;
    for (const map of [this.totals, this.second]) {
      let s = map.get(key);
      if (!s) {
        if (map.size >= MAX_SERIES) {
          if (map === this.totals) this.dropped++;
          continue;
        }
        s = { api, backend, dimensions, prompt: 0, completion: 0 };
        map.set(key, s);
      }
      s.prompt += prompt;
      s.completion += completion;
    }
  }

  all(): Iterable<LlmTokenSample> {
    return this.totals.values();
  }

  /** The samples of the second that just ended (and a fresh second). */
  takeSecond(): LlmTokenSample[] {
    const out = [...this.second.values()];
    this.second = new Map();
    return out;
  }
}
