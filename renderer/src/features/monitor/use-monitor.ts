import { startTransition, useEffect, useState } from 'react';
import type { MonitorBuffers } from '../../store/monitor/monitor-buffers';
import type { MonitorSlice } from '../../store/monitor/slice';
import { useAppStore } from '../../store/store-context';

/**
 * Reads one selected piece of the Monitor's slice; re-renders only when it changes. Typed on the slice alone, so
 * component tests can mount the screens over a store of just this slice.
 */
export function useMonitor<T>(selector: (s: MonitorSlice) => T): T {
  return useAppStore(selector);
}

export type BufferKind = keyof MonitorBuffers['versions'];

/**
 * A version of the buffers' data of these kinds: a transient subscription to the per-second data (STYLE rule 9).
 * Only components that plot it call this; the rest of the app never hears about snapshots. The re-render runs as a
 * transition, so React renders 30 cards and five charts in slices and yields to input in between: a busy gateway
 * never freezes the window (the longest task stays short), it only updates a little later.
 */
export function useMonitorVersion(kinds: BufferKind[], delayMs = 0): number {
  const buffers = useMonitor((s) => s.monitorBuffers);
  const key = kinds.join(',');
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const kindsNow = key.split(',') as BufferKind[];
    const read = () => kindsNow.reduce((sum, k) => sum + buffers.versions[k], 0);
    const apply = () => startTransition(() => setVersion(read()));
    // A delay staggers the views' commits (cards now, charts a moment later): several short tasks, not one long one.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const update = delayMs > 0 ? () => void (timer ??= setTimeout(() => ((timer = undefined), apply()), delayMs)) : apply;
    apply();
    const off = buffers.subscribe(update);
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [buffers, key, delayMs]);
  return version;
}

/** Starts following the gateway once the screen is shown (idempotent: it stays on across screens). */
export function useFollowMonitor(): void {
  const follow = useMonitor((s) => s.followMonitor);
  useEffect(() => void follow().catch(() => undefined), [follow]);
}

/** Wall-clock now, ticking while `active`: only for countdowns, a local timer that asks the server nothing. */
export function useNow(active: boolean, everyMs = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [active, everyMs]);
  return now;
}
