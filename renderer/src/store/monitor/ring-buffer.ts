/*
 * A fixed-capacity ring: pushing past capacity overwrites the oldest item, so what the Monitor keeps is bounded by
 * its window, never by uptime. Reads go oldest → newest without copying the whole ring when only the tail is needed.
 */
export class RingBuffer<T> {
  private items: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(capacity: number) {
    this.items = new Array<T | undefined>(Math.max(1, Math.floor(capacity)));
  }

  get capacity(): number {
    return this.items.length;
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    const cap = this.items.length;
    if (this.count < cap) {
      this.items[(this.start + this.count) % cap] = item;
      this.count++;
    } else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % cap;
    }
  }

  /** The i-th item from the oldest (0) to the newest (size - 1). */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.count) return undefined;
    return this.items[(this.start + i) % this.items.length];
  }

  last(): T | undefined {
    return this.at(this.count - 1);
  }

  /** The newest `n` items (all when n is larger), oldest first. */
  tail(n: number): T[] {
    const k = Math.min(Math.max(0, n), this.count);
    const out = new Array<T>(k);
    for (let i = 0; i < k; i++) out[i] = this.at(this.count - k + i)!;
    return out;
  }

  toArray(): T[] {
    return this.tail(this.count);
  }

  clear(): void {
    this.items = new Array<T | undefined>(this.items.length);
    this.start = 0;
    this.count = 0;
  }

  /** A new ring of another capacity holding the newest items that fit. */
  resized(capacity: number): RingBuffer<T> {
    const next = new RingBuffer<T>(capacity);
    for (const item of this.tail(next.capacity)) next.push(item);
    return next;
  }
}
