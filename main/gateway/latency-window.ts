import { build, type Histogram } from 'hdr-histogram-js';
import type { LatencySummary } from '../../shared/monitor';

/*
 * Latency over a rolling window of 1-second slots, with HdrHistogram (microseconds, 2 significant digits).
 * The hot path records into one plain histogram; once per second `fold` moves it into that second's slot (a
 * sparse "packed" histogram, so 900 mostly-empty slots stay small) and into the window sum; the slot that falls
 * out of the window is subtracted. No per-request allocation.
 */
const hist = (packed: boolean): Histogram =>
  build({ bitBucketSize: packed ? 'packed' : 32, lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 2, autoResize: true });

const EMPTY: LatencySummary = { p50: null, p90: null, p99: null };

export function summarize(h: Histogram): LatencySummary {
  if (h.totalCount === 0) return EMPTY;
  const ms = (p: number) => Math.round(h.getValueAtPercentile(p) / 10) / 100;
  return { p50: ms(50), p90: ms(90), p99: ms(99) };
}

export class LatencyWindow {
  readonly current = hist(false);
  private readonly window = hist(false);
  private readonly slots: (Histogram | null)[];

  constructor(readonly size: number) {
    this.slots = new Array<Histogram | null>(size).fill(null);
  }

  record(ms: number): void {
    this.current.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  /** Closes the current second into slot `index` (mod size); returns that second's summary. */
  fold(index: number): LatencySummary {
    const i = index % this.size;
    const old = this.slots[i];
    if (old && old.totalCount > 0) {
      this.window.subtract(old);
      old.reset();
    }
    const summary = summarize(this.current);
    if (this.current.totalCount > 0) {
      const slot = old ?? hist(true);
      slot.add(this.current);
      this.slots[i] = slot;
      this.window.add(this.current);
      this.current.reset();
    }
    return summary;
  }

  /** Percentiles over the window plus the second in progress. */
  summary(): LatencySummary {
    if (this.current.totalCount === 0) return summarize(this.window);
    const h = hist(false);
    h.add(this.window);
    h.add(this.current);
    return summarize(h);
  }
}
