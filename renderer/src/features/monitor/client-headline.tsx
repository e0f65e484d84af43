import { Caption1, Card, makeStyles, Subtitle2, Text, tokens } from '@fluentui/react-components';
import { useMemo } from 'react';
import { framesInWindow, windowEnd } from '../../store/monitor/chart-series';
import { clientOutcome } from '../../store/monitor/client-outcome';
import { fmtCount, fmtPct } from './format';
import { useMonitor, useMonitorVersion } from './use-monitor';

const useStyles = makeStyles({
  card: { display: 'flex', flexDirection: 'row', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalXXL, padding: tokens.spacingHorizontalL },
  main: { display: 'flex', flexDirection: 'column' },
  big: { fontSize: tokens.fontSizeHero800, lineHeight: tokens.lineHeightHero800, fontWeight: tokens.fontWeightSemibold, fontVariantNumeric: 'tabular-nums' },
  good: { color: tokens.colorPaletteGreenForeground1 },
  bad: { color: tokens.colorPaletteRedForeground1 },
  facts: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXL, margin: 0, padding: 0 },
  // dt before dd (valid markup), the value drawn on top.
  fact: { display: 'flex', flexDirection: 'column-reverse', margin: 0 },
  value: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, fontVariantNumeric: 'tabular-nums', margin: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
});

/**
 * The Monitor's headline (issue 15 item 3): what the gateway's clients got in the shown window, one count per
 * request — answered 2xx, errors by final status, retries that saved a request. Per-backend answers (a 429 that
 * failed over) are on the cards and charts below, apart from this.
 */
export function ClientHeadline() {
  const styles = useStyles();
  const version = useMonitorVersion(['frames']);
  const buffers = useMonitor((s) => s.monitorBuffers);
  const minutes = useMonitor((s) => s.monitor.windowMinutes);
  const o = useMemo(() => {
    const to = windowEnd(buffers, buffers.gatewayNow());
    return clientOutcome(framesInWindow(buffers, minutes * 60, to));
  }, [version, buffers, minutes]);
  const errors = o.requests - o.ok;
  const window = minutes === 1 ? 'the last minute' : `the last ${minutes} minutes`;
  return (
    <Card className={styles.card} data-testid="client-headline" aria-labelledby="client-headline-title">
      <div className={styles.main}>
        <Subtitle2 as="h2" id="client-headline-title">
          What clients got
        </Subtitle2>
        <Text className={`${styles.big} ${o.success === null ? '' : errors === 0 ? styles.good : styles.bad}`} data-testid="client-success">
          {o.known ? (o.success === null ? 'no requests' : `${fmtPct(o.success)} answered 2xx`) : 'not reported by this gateway'}
        </Text>
        <Caption1 className={styles.muted}>
          {`requests through the gateway in ${window}, one count per request whatever the tries${o.cancelled > 0 ? ` (${fmtCount(o.cancelled)} cancelled by their client not counted)` : ''}`}
        </Caption1>
      </div>
      <dl className={styles.facts}>
        <div className={styles.fact}>
          <dt className={styles.muted}>requests</dt>
          <dd className={styles.value} data-testid="client-requests">
            {fmtCount(o.requests)}
          </dd>
        </div>
        <div className={styles.fact}>
          <dt className={styles.muted}>errors by status</dt>
          <dd className={styles.value} data-testid="client-errors">
            {o.errors.length === 0 ? '0' : o.errors.map((e) => `${fmtCount(e.count)} × ${e.status}`).join(', ')}
          </dd>
        </div>
        <div className={styles.fact}>
          <dt className={styles.muted}>{`saved by a retry (of ${fmtCount(o.retried)} retried)`}</dt>
          <dd className={styles.value} data-testid="client-saved">
            {fmtCount(o.saved)}
          </dd>
        </div>
      </dl>
    </Card>
  );
}
