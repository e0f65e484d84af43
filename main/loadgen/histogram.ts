import * as hdr from 'hdr-histogram-js';

export interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * Latency histogram in microseconds (HdrHistogram, 3 significant digits): percentiles stay exact to 0.1 %
 * whatever the number of samples, without keeping them all. Reported in milliseconds.
 */
export class LatencyHistogram {
  private readonly h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, useWebAssembly: false });

  private maxMs = 0;

  record(ms: number): void {
    this.h.recordValue(Math.max(1, Math.round(ms * 1000)));
    if (ms > this.maxMs) this.maxMs = ms;
  }

  get count(): number {
    return this.h.totalCount;
  }

  summary(): Percentiles {
    // Percentiles are bucket upper bounds (within 0.1 %): clamp them to the exact maximum seen.
    const max = Math.round(this.maxMs * 1000) / 1000;
    const ms = (us: number) => Math.min(max, Math.round(us) / 1000);
    if (this.h.totalCount === 0) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };
    return {
      count: this.h.totalCount,
      p50: ms(this.h.getValueAtPercentile(50)),
      p90: ms(this.h.getValueAtPercentile(90)),
      p99: ms(this.h.getValueAtPercentile(99)),
      max,
      mean: ms(this.h.mean),
    };
  }
}
