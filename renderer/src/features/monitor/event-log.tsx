import { Badge, Button, Caption1, Dropdown, makeStyles, Option, Subtitle2, ToggleButton, tokens } from '@fluentui/react-components';
import { ArrowDownloadRegular } from '@fluentui/react-icons';
import { memo, useMemo } from 'react';
import { GATEWAY_EVENT_TYPES, type GatewayEventType } from '../../../../shared/monitor';
import { EVENT_LOG_CAPACITY, type LoggedEvent } from '../../store/monitor/monitor-buffers';
import { filterEvents, toJsonLines } from '../../store/monitor/selectors';
import { downloadText } from '../export-panel/download-text';
import { fmtClock } from './format';
import { useMonitor, useMonitorVersion } from './use-monitor';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  bar: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  spacer: { flex: 1 },
  scroll: { maxHeight: '320px', overflowY: 'auto', border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, backgroundColor: tokens.colorNeutralBackground1 },
  table: { width: '100%', borderCollapse: 'collapse', fontSize: tokens.fontSizeBase200, fontVariantNumeric: 'tabular-nums' },
  th: { position: 'sticky', top: 0, textAlign: 'left', fontWeight: tokens.fontWeightSemibold, padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`, backgroundColor: tokens.colorNeutralBackground2, color: tokens.colorNeutralForeground2 },
  td: { padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalS}`, borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`, whiteSpace: 'nowrap', verticalAlign: 'top' },
  detail: { whiteSpace: 'normal', color: tokens.colorNeutralForeground2 },
  empty: { padding: tokens.spacingHorizontalM, color: tokens.colorNeutralForeground3 },
});

const SHOWN = 100;
const COLOURS: Record<GatewayEventType, 'danger' | 'success' | 'warning' | 'informative' | 'important'> = {
  trip: 'danger',
  reset: 'success',
  failover: 'warning',
  config: 'informative',
  warning: 'important',
};

function detail(e: LoggedEvent): string {
  switch (e.type) {
    case 'trip':
      return `${e.extended ? 'held open' : 'open'} until ${fmtClock(Date.parse(e.openUntil))}${e.reason ? ` · ${e.reason}` : ''}`;
    case 'failover':
      return `${e.to === e.backend ? `again on ${e.to}` : `→ ${e.to}`} (api ${e.api}, try ${e.attempt})${e.reason ? ` · ${e.reason}` : ''}`;
    case 'config':
      return e.ok ? `workspace reloaded${e.kept?.length ? `, breakers kept: ${e.kept.join(', ')}` : ''}` : `edit refused: ${(e.errors ?? []).map((x) => `${x.path}: ${x.message}`).join('; ')}`;
    default:
      return e.reason ?? '';
  }
}

const time = (t: number) => `${fmtClock(t)}.${String(t % 1000).padStart(3, '0')}`;

/** A try again on the same backend is a retry, not a failover (issue 15 item 3). */
export const eventLabel = (e: LoggedEvent): string => (e.type === 'failover' && e.to === e.backend ? 'retry' : e.type);

/** One row; logged events never change, so a row renders once however often the log does. */
const LogRow = memo(function LogRow({ event: e }: { event: LoggedEvent }) {
  const styles = useStyles();
  return (
    <tr data-testid={`log-row-${e.type}`} data-label={eventLabel(e)} data-backend={e.backend ?? ''} data-t={e.t}>
      <td className={styles.td}>{time(e.t)}</td>
      <td className={styles.td}>
        <Badge size="small" appearance="tint" color={COLOURS[e.type]}>
          {eventLabel(e)}
        </Badge>
      </td>
      <td className={styles.td}>{e.backend ?? '—'}</td>
      <td className={`${styles.td} ${styles.detail}`}>{detail(e)}</td>
    </tr>
  );
});

/** Trips, resets, failovers, reloads and warnings, newest first; filter by backend and type; export as JSON lines. */
export function EventLog() {
  const styles = useStyles();
  const version = useMonitorVersion(['events'], 450);
  const buffers = useMonitor((s) => s.monitorBuffers);
  const filter = useMonitor((s) => s.monitor.logFilter);
  const backends = useMonitor((s) => s.monitor.config?.backends ?? null);
  const setLogFilter = useMonitor((s) => s.setLogFilter);
  const { shown, matching } = useMemo(() => {
    const all = filterEvents(buffers, filter);
    return { shown: all.slice(0, SHOWN), matching: all.length };
  }, [version, buffers, filter]);
  const toggle = (type: GatewayEventType) =>
    setLogFilter({ types: filter.types.includes(type) ? filter.types.filter((t) => t !== type) : [...filter.types, type] });
  const exportLog = () => downloadText(`breakerboard-events-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`, toJsonLines(filterEvents(buffers, filter)));

  return (
    <section className={styles.root} data-testid="event-log" aria-label="Event log">
      <div className={styles.bar}>
        <Subtitle2 as="h2">Event log</Subtitle2>
        <Dropdown
          size="small"
          aria-label="Backend"
          data-testid="log-backend"
          value={filter.backend ?? 'All backends'}
          selectedOptions={[filter.backend ?? '*']}
          onOptionSelect={(_, d) => setLogFilter({ backend: d.optionValue === '*' || !d.optionValue ? null : d.optionValue })}
          style={{ minWidth: '160px' }}
        >
          <Option value="*">All backends</Option>
          {(backends ?? []).map((b) => (
            <Option key={b} value={b}>
              {b}
            </Option>
          ))}
        </Dropdown>
        {GATEWAY_EVENT_TYPES.map((type) => (
          <ToggleButton key={type} size="small" appearance="subtle" checked={filter.types.includes(type)} onClick={() => toggle(type)} data-testid={`log-type-${type}`}>
            {type}
          </ToggleButton>
        ))}
        <span className={styles.spacer} />
        <Caption1 data-testid="log-count">{`${matching} of the last ${EVENT_LOG_CAPACITY} events`}</Caption1>
        <Button size="small" icon={<ArrowDownloadRegular />} disabled={matching === 0} onClick={exportLog} data-testid="log-export">
          Export JSON lines
        </Button>
      </div>
      <div className={styles.scroll}>
        {shown.length === 0 ? (
          <div className={styles.empty}>No events{filter.types.length < GATEWAY_EVENT_TYPES.length || filter.backend ? ' match the filter' : ' yet: trips, resets, failovers and reloads appear here as they happen'}.</div>
        ) : (
          <table className={styles.table}>
            <thead>
              <tr>
                <th className={styles.th}>time</th>
                <th className={styles.th}>type</th>
                <th className={styles.th}>backend</th>
                <th className={styles.th}>details</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((e) => (
                <LogRow key={e.seq} event={e} />
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
