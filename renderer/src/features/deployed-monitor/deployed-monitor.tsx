import { Button, Caption1, Card, Field, Input, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Select, Spinner, Subtitle2, tokens } from '@fluentui/react-components';
import { ArrowClockwiseRegular, CloudRegular } from '@fluentui/react-icons';
import { useEffect, useMemo } from 'react';
import { selectWorkspaceValue } from '../../store/workspace/selectors';
import { useAppStore } from '../../store/store-context';
import { EmptyState } from '../empty-state';
import { ScreenLayout } from '../screen-layout';
import { backendsOf } from './chart-rows';
import { DeployedCharts } from './deployed-charts';
import { MonitorSourceSwitch } from './source-switch';

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, padding: tokens.spacingHorizontalL, minWidth: 0 },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'end', flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground3 },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

const RANGES = [
  { label: 'last 15 minutes', seconds: 900 },
  { label: 'last hour', seconds: 3600 },
  { label: 'last 6 hours', seconds: 21_600 },
  { label: 'last 24 hours', seconds: 86_400 },
];
const REFRESH_MS = 60_000;

/** The Monitor with the deployed service as its source: the service's gateway logs from Log Analytics. */
export function DeployedMonitorScreen() {
  const styles = useStyles();
  const d = useAppStore((s) => s.deployed);
  const set = useAppStore((s) => s.setDeployedOptions);
  const refresh = useAppStore((s) => s.refreshDeployed);
  const signedIn = useAppStore((s) => s.deploy.account?.signedIn ?? false);
  const initDeploy = useAppStore((s) => s.initDeploy);
  // The sign-in is the Deploy screen's: read it (idempotent) when the Monitor opens on this source.
  useEffect(() => void initDeploy().catch(() => undefined), [initDeploy]);
  const ws = useAppStore(selectWorkspaceValue) as { backends?: Record<string, unknown>; target?: { service?: string } } | null;
  const known = useMemo(() => Object.keys(ws?.backends ?? {}), [ws]);
  const report = d.reading?.report ?? null;
  const backends = useMemo(() => (report ? backendsOf(report, known) : []), [report, known]);
  useEffect(() => {
    if (!signedIn) return;
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [signedIn, refresh, d.sinceSeconds]);
  return (
    <ScreenLayout id="monitor" title="Monitor" lead={`Per-backend traffic of the deployed service${ws?.target?.service ? ` ${ws.target.service}` : ''}, from its gateway logs in Log Analytics.`}>
      <MonitorSourceSwitch />
      <Card className={styles.panel} data-testid="deployed-options">
        <div className={styles.row}>
          <Field label="Range">
            <Select value={String(d.sinceSeconds)} onChange={(_, v) => set({ sinceSeconds: Number(v.value) })}>
              {RANGES.map((r) => (
                <option key={r.seconds} value={r.seconds}>
                  {r.label}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Log Analytics workspace id" hint="empty: found through the service's diagnostic settings">
            <Input value={d.workspaceId} placeholder="discover" onChange={(_, v) => set({ workspaceId: v.value })} />
          </Field>
          <Field label="Breaker events queue" hint="optional: the queue the observability export routes Event Grid events to">
            <Input value={d.eventsQueue} placeholder="https://<account>.queue.core.windows.net/breaker-events" onChange={(_, v) => set({ eventsQueue: v.value })} />
          </Field>
          <Button icon={d.loading ? <Spinner size="tiny" /> : <ArrowClockwiseRegular />} disabled={!signedIn || d.loading} onClick={() => void refresh()}>
            Refresh
          </Button>
        </div>
        {d.reading?.discoveredFrom && <Caption1 className={styles.muted}>Logs from {d.reading.discoveredFrom}</Caption1>}
      </Card>
      {!signedIn ? (
        <EmptyState Icon={CloudRegular} title="Sign in to watch the deployed service" testId="deployed-signin">
          The deployed service is read from Log Analytics with your Azure sign-in. Sign in on the Deploy screen, then come back here.
        </EmptyState>
      ) : d.error ? (
        <MessageBar intent="error" data-testid="deployed-error">
          <MessageBarBody>{d.error}</MessageBarBody>
        </MessageBar>
      ) : d.reading && !d.reading.available ? (
        <MessageBar intent="warning" data-testid="deployed-unavailable">
          <MessageBarBody>
            <MessageBarTitle>No gateway logs to read</MessageBarTitle>
            {d.reading.reason}. To enable it: {d.reading.howTo}.
          </MessageBarBody>
        </MessageBar>
      ) : report ? (
        <>
          <Card className={styles.panel} data-testid="deployed-traffic">
            <Subtitle2>Traffic</Subtitle2>
            <Caption1 className={styles.muted}>
              Logs arrive about {report.delaySeconds} s late (measured); the shaded end of the axis is still filling. Breaker state is not readable from Azure:
              openings are inferred from traffic{report.breakerEvents ? ' and read from Event Grid' : ''}.
            </Caption1>
            {report.buckets.length === 0 ? <Caption1>No requests in this range.</Caption1> : <DeployedCharts report={report} backends={backends} />}
          </Card>
          {(report.openings.length > 0 || (report.breakerEvents?.length ?? 0) > 0 || report.notes.length > 0) && (
            <Card className={styles.panel} data-testid="deployed-openings">
              <Subtitle2>Breaker openings</Subtitle2>
              <ul className={styles.list}>
                {report.openings.map((o) => (
                  <li key={`${o.backend}${o.at}`}>
                    <Caption1>
                      {o.backend} (pool {o.pool}) from {new Date(o.at).toLocaleTimeString()}
                      {o.until ? ` to ${new Date(o.until).toLocaleTimeString()}` : ', still without traffic'} — inferred: {o.evidence}
                    </Caption1>
                  </li>
                ))}
                {(report.breakerEvents ?? []).map((e) => (
                  <li key={`${e.backend}${e.at}${e.type}`}>
                    <Caption1>
                      {e.backend} {e.type} at {new Date(e.at).toLocaleTimeString()} (Event Grid)
                    </Caption1>
                  </li>
                ))}
                {report.notes.map((n) => (
                  <li key={n}>
                    <Caption1 className={styles.muted}>{n}</Caption1>
                  </li>
                ))}
              </ul>
            </Card>
          )}
        </>
      ) : (
        <Spinner label="Reading the gateway logs…" />
      )}
    </ScreenLayout>
  );
}
