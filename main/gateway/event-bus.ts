/** A tiny synchronous fan-out; a listener that throws is dropped from that one delivery, never the bus. */
export class Bus<T> {
  private readonly listeners = new Set<(v: T) => void>();

  subscribe(listener: (v: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(value: T): void {
    for (const l of this.listeners) {
      try {
        l(value);
      } catch {
        /* a faulty subscriber must not break routing */
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}
