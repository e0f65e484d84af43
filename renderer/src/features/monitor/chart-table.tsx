import { makeStyles, tokens } from '@fluentui/react-components';
import type { ChartData } from '../../store/monitor/chart-series';
import { fmtClock, fmtPct, fmtRate } from './format';

const useStyles = makeStyles({
  details: { paddingLeft: tokens.spacingHorizontalS },
  summary: { cursor: 'pointer', color: tokens.colorBrandForegroundLink, fontSize: tokens.fontSizeBase200, padding: `${tokens.spacingVerticalXXS} 0` },
  scroll: { maxHeight: '260px', overflow: 'auto' },
  table: { borderCollapse: 'collapse', fontSize: tokens.fontSizeBase200, fontVariantNumeric: 'tabular-nums' },
  cell: { padding: `0 ${tokens.spacingHorizontalS}`, textAlign: 'right', whiteSpace: 'nowrap' },
});

const SHOWN = 60;

/**
 * The charts' numbers as a table (WCAG 1.1.1 / 2.1.1): reachable with the keyboard (a disclosure), read by screen
 * readers; the newest rows of the window, newest first.
 */
export function ChartTable({ data }: { data: ChartData }) {
  const styles = useStyles();
  const rows = data.rows.slice(-SHOWN).reverse();
  const keys = data.keys;
  return (
    <details className={styles.details} data-testid="chart-table">
      <summary className={styles.summary}>Chart data as a table</summary>
      <div className={styles.scroll} tabIndex={0} role="region" aria-label="Chart data">
        <table className={styles.table}>
          <caption style={{ textAlign: 'left' }}>{`Per ${data.stepMs / 1000} s, newest first: clients' success, then requests/s, success and 429s/s per backend`}</caption>
          <thead>
            <tr>
              <th className={styles.cell} scope="col">
                time
              </th>
              <th className={styles.cell} scope="col">
                clients 2xx
              </th>
              {keys.map((k) => (
                <th key={k} className={styles.cell} scope="col">{`${k} req/s · 2xx · 429/s`}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.t}>
                <th className={styles.cell} scope="row">
                  {fmtClock(r.t)}
                </th>
                <td className={styles.cell}>{fmtPct(r.client)}</td>
                {keys.map((k) => (
                  <td key={k} className={styles.cell}>{`${fmtRate(r.rps[k] ?? 0)} · ${fmtPct(r.success[k])} · ${fmtRate(r.s429[k] ?? 0)}`}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
