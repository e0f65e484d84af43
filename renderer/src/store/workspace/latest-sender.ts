/*
 * Sends only the newest value: while one send is in flight, later values replace each other and the last one goes
 * next. Keeps edits in order over HTTP (two concurrent POSTs may arrive swapped) without queueing every keystroke.
 */
export interface LatestSender<T> {
  push(value: T): void;
  /** Resolves when nothing is waiting or in flight. */
  idle(): Promise<void>;
  busy(): boolean;
}

export function createLatestSender<T>(send: (value: T) => Promise<void>, onBusy: (busy: boolean) => void): LatestSender<T> {
  let inFlight = false;
  let next: { value: T } | null = null;
  let waiters: (() => void)[] = [];
  const pump = async () => {
    inFlight = true;
    onBusy(true);
    while (next) {
      const { value } = next;
      next = null;
      await send(value).catch(() => undefined);
    }
    inFlight = false;
    onBusy(false);
    const w = waiters;
    waiters = [];
    w.forEach((r) => r());
  };
  return {
    push(value) {
      next = { value };
      if (!inFlight) void pump();
    },
    idle: () => (inFlight || next ? new Promise<void>((r) => waiters.push(r)) : Promise.resolve()),
    busy: () => inFlight || next !== null,
  };
}
