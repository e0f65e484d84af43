/*
 * A binary min-heap of (time, payload) for the planner's virtual clock: answers that finish later than they start
 * must be recorded in time order, interleaved with new arrivals. Parallel arrays keep an hour of traffic
 * (hundreds of thousands of entries) free of per-entry objects.
 */
export class EventQueue {
  private times: number[] = [];
  private payloads: number[] = [];

  get size(): number {
    return this.times.length;
  }

  /** Time of the earliest entry, Infinity when empty. */
  peekTime(): number {
    return this.times.length > 0 ? this.times[0]! : Infinity;
  }

  push(time: number, payload: number): void {
    const t = this.times;
    const p = this.payloads;
    let i = t.length;
    t.push(time);
    p.push(payload);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (t[parent]! <= time) break;
      t[i] = t[parent]!;
      p[i] = p[parent]!;
      i = parent;
    }
    t[i] = time;
    p[i] = payload;
  }

  /** Removes the earliest entry and returns its payload (undefined when empty). */
  pop(): number | undefined {
    const t = this.times;
    const p = this.payloads;
    if (t.length === 0) return undefined;
    const top = p[0]!;
    const lastT = t.pop()!;
    const lastP = p.pop()!;
    const n = t.length;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && t[r]! < t[l]! ? r : l;
      if (t[c]! >= lastT) break;
      t[i] = t[c]!;
      p[i] = p[c]!;
      i = c;
    }
    t[i] = lastT;
    p[i] = lastP;
    return top;
  }
}
