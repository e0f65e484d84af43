import { Badge, Caption1, makeStyles, Text, tokens } from '@fluentui/react-components';
import { CheckmarkCircleFilled, DismissCircleFilled } from '@fluentui/react-icons';
import type { DrillReportView } from '../../../../shared/contract/load';
import { fmtMs } from '../monitor/format';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  head: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  table: { borderCollapse: 'collapse', fontSize: tokens.fontSizeBase300, width: '100%' },
  th: { textAlign: 'left', color: tokens.colorNeutralForeground3, fontWeight: tokens.fontWeightRegular, padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalS}` },
  td: { padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalS}`, borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`, fontVariantNumeric: 'tabular-nums' },
  pass: { color: tokens.colorPaletteGreenForeground1, display: 'inline-flex', alignItems: 'center', gap: '4px' },
  fail: { color: tokens.colorPaletteRedForeground1, display: 'inline-flex', alignItems: 'center', gap: '4px' },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** Drill time for people: `350 ms`, `12.4 s`. */
const secs = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

/** The drill's verdict first, then each expectation with expected vs actual, then what happened when. */
export function DrillReport({ report }: { report: DrillReportView }) {
  const styles = useStyles();
  const trips = report.events.filter((e) => e.type === 'trip' || e.type === 'reset');
  return (
    <div className={styles.root} data-testid="drill-report" data-pass={report.pass}>
      <div className={styles.head}>
        <Badge size="large" appearance="filled" color={report.pass ? 'success' : 'danger'} data-testid="drill-verdict">
          {report.pass ? 'PASS' : 'FAIL'}
        </Badge>
        <Text>{`${report.requests} requests over ${secs(report.durationMs)} of drill time${report.speed !== 1 ? ` (×${report.speed}, ${secs(report.realDurationMs)} real)` : ''}`}</Text>
        {report.interrupted && <Badge color="warning">cancelled</Badge>}
      </div>
      <table className={styles.table} data-testid="drill-expectations">
        <thead>
          <tr>
            <th className={styles.th}>expectation</th>
            <th className={styles.th}>expected</th>
            <th className={styles.th}>actual</th>
            <th className={styles.th}>result</th>
          </tr>
        </thead>
        <tbody>
          {report.expectations.length === 0 && (
            <tr>
              <td className={styles.td} colSpan={4}>
                The drill file has no <code>expect:</code> section.
              </td>
            </tr>
          )}
          {report.expectations.map((e) => (
            <tr key={e.name} data-testid={`expectation-${e.name.replace(/\s+/g, '-')}`} data-pass={e.pass}>
              <td className={styles.td}>{e.name}</td>
              <td className={styles.td}>{e.expected}</td>
              <td className={styles.td}>{e.actual}</td>
              <td className={styles.td}>
                {e.pass ? (
                  <span className={styles.pass}>
                    <CheckmarkCircleFilled /> pass
                  </span>
                ) : (
                  <span className={styles.fail}>
                    <DismissCircleFilled /> fail
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Caption1>{`client errors ${report.clientErrors} · retried by the gateway ${report.retried} · failovers ${report.failovers} · latency p50 ${fmtMs(report.latencyMs.p50)}, p99 ${fmtMs(report.latencyMs.p99)}`}</Caption1>
      <Caption1>{`served by: ${Object.entries(report.servedBy).map(([k, v]) => `${k} ${v}`).join(' · ') || '–'}`}</Caption1>
      {report.timeToTrip.map((t) => (
        <Caption1 key={`${t.backend}-${t.faultAtMs}`}>{`fault on ${t.backend} at ${secs(t.faultAtMs)} → ${t.ms === null ? 'no trip' : `tripped after ${secs(t.ms)}`}`}</Caption1>
      ))}
      {trips.length > 0 && <Caption1 className={styles.muted}>{`breaker: ${trips.map((e) => `${e.type} ${e.backend} at ${secs(e.atMs)}`).join(' · ')}`}</Caption1>}
    </div>
  );
}
