import type { Frame, MonitorBuffers } from './monitor-buffers';

/*
 * From the ring of one-second frames to what recharts plots. Pure and bounded: a chart never gets more than
 * MAX_POINTS rows (15 minutes are folded into 3-second steps), and never more than MAX_SERIES backends drawn one by
 * one — the rest are summed as "other". 30 stacked areas are unreadable and slow to draw; the cards list them all.
 */
export const MAX_POINTS = 300;
export const MAX_SERIES = 6;
export const OTHER = '(other)';

export interface ChartRow {
  t: number;
  /** Requests per second, tokens per minute and 429s per second, per series key (summable, so "other" too). */
  rps: Record<string, number>;
  tpm: Record<string, number>;
  s429: Record<string, number>;
  /** Percent of requests answered 2xx; latency in ms: per drawn backend, null when it had no requests. */
  success: Record<string, number | null>;
  p50: Record<string, number | null>;
  p99: Record<string, number | null>;
  /** Requests the gateway answered itself (503 NoHealthyBackend, ...), per second. */
  gateway: number;
  /** Percent of client requests answered 2xx (what clients saw), null without requests or when not reported. */
  client: number | null;
}

export interface ChartData {
  from: number;
  to: number;
  stepMs: number;
  /** Drawn series, busiest first; OTHER last when some backends were folded. */
  keys: string[];
  rows: ChartRow[];
}

/** Frames inside [to - window, to), oldest first. */
export function framesInWindow(buffers: Pick<MonitorBuffers, 'frames'>, windowSeconds: number, to: number): Frame[] {
  const from = to - windowSeconds * 1000;
  const out: Frame[] = [];
  const ring = buffers.frames;
  for (let i = 0; i < ring.size; i++) {
    const f = ring.at(i)!;
    if (f.t >= from && f.t < to) out.push(f);
  }
  return out;
}

/** The right edge of the charts: the end of the newest second, so the axis moves in whole steps. */
export function windowEnd(buffers: Pick<MonitorBuffers, 'frames'>, fallbackNow: number): number {
  const last = buffers.frames.last();
  return last ? last.t + 1000 : Math.floor(fallbackNow / 1000) * 1000;
}

/** Backends by requests in these frames, busiest first (ties by id, so the order is stable). */
export function rankBackends(frames: readonly Frame[], known: readonly string[] = []): string[] {
  const total = new Map<string, number>(known.map((id) => [id, 0]));
  for (const f of frames) for (const [id, b] of Object.entries(f.b)) total.set(id, (total.get(id) ?? 0) + b.rq);
  return [...total.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([id]) => id);
}

interface Acc {
  rq: number;
  ok: number;
  s429: number;
  tok: number;
  p50: number;
  p50n: number;
  p99: number | null;
}

export function buildChartData(frames: readonly Frame[], windowSeconds: number, to: number, known: readonly string[] = []): ChartData {
  const from = to - windowSeconds * 1000;
  const stepMs = Math.max(1, Math.ceil(windowSeconds / MAX_POINTS)) * 1000;
  const ranked = rankBackends(frames, known);
  const drawn = ranked.slice(0, MAX_SERIES);
  const drawnSet = new Set(drawn);
  const keys = ranked.length > MAX_SERIES ? [...drawn, OTHER] : drawn;
  const steps = new Map<number, { acc: Map<string, Acc>; gw: number; seconds: number; crq: number; cok: number }>();
  for (const f of frames) {
    const slot = Math.floor(f.t / stepMs) * stepMs;
    let step = steps.get(slot);
    if (!step) steps.set(slot, (step = { acc: new Map(), gw: 0, seconds: 0, crq: 0, cok: 0 }));
    step.gw += f.gw;
    step.crq += f.c?.rq ?? 0;
    step.cok += f.c?.ok ?? 0;
    step.seconds++;
    for (const [id, b] of Object.entries(f.b)) {
      const key = drawnSet.has(id) ? id : OTHER;
      let a = step.acc.get(key);
      if (!a) step.acc.set(key, (a = { rq: 0, ok: 0, s429: 0, tok: 0, p50: 0, p50n: 0, p99: null }));
      a.rq += b.rq;
      a.ok += b.ok;
      a.s429 += b.s429;
      a.tok += b.tok;
      // Folding seconds: p50 as the request-weighted mean of the seconds' medians, p99 as the worst second's.
      if (b.p50 !== null && b.rq > 0) {
        a.p50 += b.p50 * b.rq;
        a.p50n += b.rq;
      }
      if (b.p99 !== null) a.p99 = a.p99 === null ? b.p99 : Math.max(a.p99, b.p99);
    }
  }
  const rows: ChartRow[] = [];
  for (const [t, step] of [...steps.entries()].sort((a, b) => a[0] - b[0])) {
    const secs = Math.max(1, step.seconds);
    const row: ChartRow = { t, rps: {}, tpm: {}, s429: {}, success: {}, p50: {}, p99: {}, gateway: round(step.gw / secs), client: step.crq > 0 ? round((step.cok / step.crq) * 100) : null };
    for (const key of keys) {
      const a = step.acc.get(key);
      row.rps[key] = a ? round(a.rq / secs) : 0;
      row.tpm[key] = a ? Math.round((a.tok / secs) * 60) : 0;
      row.s429[key] = a ? round(a.s429 / secs) : 0;
      if (key === OTHER) continue;
      row.success[key] = a && a.rq > 0 ? round((a.ok / a.rq) * 100) : null;
      row.p50[key] = a && a.p50n > 0 ? Math.round(a.p50 / a.p50n) : null;
      row.p99[key] = a?.p99 ?? null;
    }
    rows.push(row);
  }
  return { from, to, stepMs, keys, rows };
}

const round = (n: number) => Math.round(n * 100) / 100;
