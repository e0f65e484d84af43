import { makeStyles } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { useFollowMonitor, useMonitor, useMonitorVersion } from './use-monitor';

const useStyles = makeStyles({
  // Visually hidden, read by screen readers (the usual clip pattern).
  hidden: { position: 'absolute', width: '1px', height: '1px', margin: '-1px', padding: 0, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap', border: 0 },
});

/**
 * Says breaker trips and resets (politely) and a failed gateway action (assertively), whatever screen is open
 * (WCAG 4.1.3). Each message once: a trip already announced is not said again on the next re-render.
 */
export function LiveAnnouncer() {
  const styles = useStyles();
  // Trips are news on every screen, so the gateway is followed from the start.
  useFollowMonitor();
  const version = useMonitorVersion(['breakers']);
  const buffers = useMonitor((s) => s.monitorBuffers);
  const error = useMonitor((s) => s.monitor.error);
  const [status, setStatus] = useState('');
  const lastSeq = useRef<number | null>(null);
  useEffect(() => {
    const ring = buffers.breakerEvents;
    const newest = ring.last();
    // The first look (a history load) is not news: announce only what arrives after it.
    if (lastSeq.current === null) {
      lastSeq.current = newest?.seq ?? 0;
      return;
    }
    const said: string[] = [];
    for (let i = 0; i < ring.size; i++) {
      const e = ring.at(i)!;
      if (e.seq <= lastSeq.current) continue;
      if (e.type === 'trip') said.push(`${e.backend} breaker ${e.extended ? 'held open' : 'open'}${e.reason ? `: ${e.reason}` : ''}`);
      if (e.type === 'reset') said.push(`${e.backend} breaker closed${e.reason === 'manual' ? ' by hand' : ''}`);
    }
    if (newest) lastSeq.current = newest.seq;
    if (said.length > 0) setStatus(said.slice(-3).join('. '));
  }, [version, buffers]);
  return (
    <>
      <div className={styles.hidden} role="status" aria-live="polite" data-testid="live-breakers">
        {status}
      </div>
      <div className={styles.hidden} role="alert" aria-live="assertive" data-testid="live-errors">
        {error ?? ''}
      </div>
    </>
  );
}
