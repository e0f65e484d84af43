import type { GatewayEventType } from '../../../../shared/monitor';
import { expectedShare } from '../../../../shared/semantics/share';
import type { Frame, LoggedEvent, MonitorBuffers } from './monitor-buffers';

/*
 * Derived Monitor values (STYLE rule 9: selectors, not stored state). All pure over the bounded buffers, so they
 * are tested without React and cost the same after a week of uptime as after a minute.
 */

export interface CardStats {
  /** Requests per second over the last 5 s. */
  rps: number;
  /** Percent 2xx over the last minute; null without requests. */
  success: number | null;
  p50: number | null;
  p99: number | null;
  /** Tokens (prompt + completion) in the last minute. */
  tpm: number;
  /** Requests per second, the last minute, oldest first (one value per second, 0 for missing seconds). */
  spark: number[];
}

export function cardStats(frames: readonly Frame[], id: string): CardStats {
  const last = frames.slice(-60);
  const recent = frames.slice(-5);
  let rq5 = 0;
  for (const f of recent) rq5 += f.b[id]?.rq ?? 0;
  let rq = 0;
  let ok = 0;
  let tok = 0;
  for (const f of last) {
    const b = f.b[id];
    if (!b) continue;
    rq += b.rq;
    ok += b.ok;
    tok += b.tok;
  }
  let p50: number | null = null;
  let p99: number | null = null;
  // Latency of the newest second that had some: a quiet second says nothing about how fast the backend is.
  for (let i = frames.length - 1; i >= Math.max(0, frames.length - 10) && p50 === null; i--) {
    const b = frames[i]!.b[id];
    if (b && b.rq > 0 && b.p50 !== null) {
      p50 = b.p50;
      p99 = b.p99;
    }
  }
  return {
    rps: recent.length > 0 ? Math.round((rq5 / recent.length) * 10) / 10 : 0,
    success: rq > 0 ? Math.round((ok / rq) * 1000) / 10 : null,
    p50,
    p99,
    tpm: tok,
    spark: last.map((f) => f.b[id]?.rq ?? 0),
  };
}

export interface Span {
  from: number;
  to: number;
}
export interface Marker {
  t: number;
  kind: 'trip' | 'reset' | 'failover';
  /** Failovers in that second; 1 for trips and resets. */
  count: number;
  reason: string | null;
}
export interface TimelineLane {
  backend: string;
  open: Span[];
  markers: Marker[];
}

/**
 * Per backend: bands while open (from the frames' state, each second [t, t+1s)), and markers for trips and
 * resets (exact event times) and failovers (counted per second from the frames) inside [from, to).
 */
export function timelineLanes(buffers: Pick<MonitorBuffers, 'breakerEvents'>, frames: readonly Frame[], backends: readonly string[], from: number, to: number): TimelineLane[] {
  const lanes = new Map<string, TimelineLane>(backends.map((b) => [b, { backend: b, open: [], markers: [] }]));
  for (const f of frames) {
    for (const [id, b] of Object.entries(f.b)) {
      const lane = lanes.get(id);
      if (!lane) continue;
      if (b.open) {
        const prev = lane.open[lane.open.length - 1];
        if (prev && prev.to >= f.t) prev.to = f.t + 1000;
        else lane.open.push({ from: f.t, to: f.t + 1000 });
      }
      if (b.fo > 0) lane.markers.push({ t: f.t + 500, kind: 'failover', count: b.fo, reason: null });
    }
  }
  const ring = buffers.breakerEvents;
  for (let i = 0; i < ring.size; i++) {
    const e = ring.at(i)!;
    // A trip in the second still in progress (its frame not here yet) is shown at once, at the right edge.
    if (e.t < from || e.t >= to + 1000 || (e.type !== 'trip' && e.type !== 'reset') || e.backend === null) continue;
    lanes.get(e.backend)?.markers.push({ t: e.t, kind: e.type, count: 1, reason: e.reason });
  }
  for (const lane of lanes.values()) {
    lane.open = lane.open.map((s) => ({ from: Math.max(from, s.from), to: Math.min(to, s.to) })).filter((s) => s.to > s.from);
    lane.markers.sort((a, b) => a.t - b.t);
  }
  return [...lanes.values()];
}

export interface PoolMemberConfig {
  backend: string;
  priority: number | null;
  weight: number | null;
}
export interface ShareRow {
  backend: string;
  priority: number | null;
  weight: number | null;
  /** Long-run share by the configuration with every member closed (0..1). */
  configured: number;
  /** What the gateway actually sent this member in the window (0..1), null without traffic. */
  observed: number | null;
  requests: number;
}

export function poolShares(members: readonly PoolMemberConfig[], frames: readonly Frame[]): ShareRow[] {
  const specs = members.map((m) => ({ backend: m.backend, ...(m.priority !== null ? { priority: m.priority } : {}), ...(m.weight !== null ? { weight: m.weight } : {}) }));
  const expected = expectedShare(specs, []);
  const requests = new Map<string, number>();
  let total = 0;
  for (const f of frames) {
    for (const m of members) {
      const n = f.b[m.backend]?.rq ?? 0;
      requests.set(m.backend, (requests.get(m.backend) ?? 0) + n);
      total += n;
    }
  }
  return members.map((m) => ({
    backend: m.backend,
    priority: m.priority,
    weight: m.weight,
    configured: expected.ok ? (expected.share[m.backend] ?? 0) : 0,
    observed: total > 0 ? (requests.get(m.backend) ?? 0) / total : null,
    requests: requests.get(m.backend) ?? 0,
  }));
}

export interface EventFilter {
  /** null: every backend. */
  backend: string | null;
  types: readonly GatewayEventType[];
}

/** Newest first, at most `limit`: what the log table shows. */
export function filterEvents(buffers: Pick<MonitorBuffers, 'events'>, filter: EventFilter, limit = Infinity): LoggedEvent[] {
  const out: LoggedEvent[] = [];
  const ring = buffers.events;
  for (let i = ring.size - 1; i >= 0 && out.length < limit; i--) {
    const e = ring.at(i)!;
    if (!filter.types.includes(e.type)) continue;
    if (filter.backend !== null && e.backend !== filter.backend && !(e.type === 'failover' && e.to === filter.backend)) continue;
    out.push(e);
  }
  return out;
}

/** JSON lines, oldest first, each the event as the gateway sent it (DESIGN §3), without the UI's own fields. */
export function toJsonLines(events: readonly LoggedEvent[]): string {
  return [...events]
    .sort((a, b) => a.seq - b.seq)
    .map(({ seq: _seq, t: _t, ...e }) => JSON.stringify(e))
    .join('\n')
    .concat(events.length > 0 ? '\n' : '');
}
