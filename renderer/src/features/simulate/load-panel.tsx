import { Button, Caption1, Card, Field, Input, makeStyles, MessageBar, MessageBarBody, ProgressBar, Subtitle2, Switch, Text, tokens } from '@fluentui/react-components';
import { PlayRegular, StopRegular } from '@fluentui/react-icons';
import { LOAD_LIMITS, type LoadProgressEvent, type LoadReportView } from '../../../../shared/contract/load';
import { fmtMs } from '../monitor/format';
import { useMonitor } from '../monitor/use-monitor';
import { useSimulateForm } from './use-simulate-form';

const useStyles = makeStyles({
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, padding: tokens.spacingHorizontalL },
  row: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  num: { width: '96px' },
  muted: { color: tokens.colorNeutralForeground3 },
  facts: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(130px, 1fr))', gap: tokens.spacingHorizontalS },
  fact: { display: 'flex', flexDirection: 'column' },
  value: { fontVariantNumeric: 'tabular-nums', fontWeight: tokens.fontWeightSemibold },
});

export function JobProgress({ progress, testId }: { progress: LoadProgressEvent | null; testId: string }) {
  const styles = useStyles();
  const value = progress ? Math.min(1, progress.elapsedMs / Math.max(1, progress.totalMs)) : undefined;
  return (
    <div data-testid={testId}>
      <ProgressBar value={value} thickness="large" />
      <Caption1 className={styles.muted}>
        {progress
          ? `${Math.round(progress.elapsedMs / 1000)} / ${Math.round(progress.totalMs / 1000)} s · ${progress.sent} sent · ${progress.ok} ok · ${progress.failed} failed · ${progress.inFlight} in flight`
          : 'starting…'}
      </Caption1>
    </div>
  );
}

const entries = (r: Record<string, number>) => Object.entries(r).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}: ${v}`).join(' · ') || '–';

export function LoadReportFacts({ report }: { report: LoadReportView }) {
  const styles = useStyles();
  const facts: [string, string][] = [
    ['ok / failed', `${report.ok} / ${report.failed}`],
    ['achieved', `${report.achievedRps} req/s`],
    ['p50 / p99', `${fmtMs(report.latencyMs.p50)} / ${fmtMs(report.latencyMs.p99)}`],
    ['retried by the gateway', String(report.retried)],
  ];
  if (report.ttftMs) facts.push(['first token p50', fmtMs(report.ttftMs.p50)]);
  return (
    <div data-testid="load-report" style={{ display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS }}>
      <div className={styles.facts}>
        {facts.map(([k, v]) => (
          <div key={k} className={styles.fact}>
            <Text className={styles.value}>{v}</Text>
            <Caption1 className={styles.muted}>{k}</Caption1>
          </div>
        ))}
      </div>
      <Caption1>{`served by: ${entries(report.servedBy)}`}</Caption1>
      <Caption1>{`status: ${entries(report.statusCounts)}${Object.keys(report.errors).length > 0 ? ` · no answer: ${entries(report.errors)}` : ''}${report.interrupted ? ' · cancelled' : ''}`}</Caption1>
    </div>
  );
}

/** The load generator against the running gateway: open loop at a rate, for a duration, streaming or not. */
export function LoadPanel() {
  const styles = useStyles();
  const run = useMonitor((s) => s.monitor.run);
  const load = useMonitor((s) => s.monitor.load);
  const busy = useMonitor((s) => s.monitor.busy);
  const startLoad = useMonitor((s) => s.startLoad);
  const cancelLoad = useMonitor((s) => s.cancelLoad);
  const [{ rps, duration, stream }, setForm] = useSimulateForm();
  const rpsN = Number(rps);
  const durN = Number(duration);
  const valid = rpsN > 0 && rpsN <= LOAD_LIMITS.maxRps && Number.isInteger(durN) && durN >= 1 && durN <= LOAD_LIMITS.maxDurationSeconds;
  const running = load.job?.kind === 'load';
  const last = load.lastLoad;
  return (
    <Card className={styles.card} data-testid="load-panel">
      <Subtitle2 as="h2">Load</Subtitle2>
      <div className={styles.row}>
        <Field label="Requests/s" size="small" validationMessage={rpsN > LOAD_LIMITS.maxRps ? `at most ${LOAD_LIMITS.maxRps}` : undefined}>
          <Input className={styles.num} size="small" type="number" min={1} max={LOAD_LIMITS.maxRps} value={rps} onChange={(_, d) => setForm({ rps: d.value })} data-testid="load-rps" />
        </Field>
        <Field label="Duration (s)" size="small" validationMessage={durN > LOAD_LIMITS.maxDurationSeconds ? `at most ${LOAD_LIMITS.maxDurationSeconds}` : undefined}>
          <Input className={styles.num} size="small" type="number" min={1} max={LOAD_LIMITS.maxDurationSeconds} value={duration} onChange={(_, d) => setForm({ duration: d.value })} data-testid="load-duration" />
        </Field>
        <Switch label="Streaming" checked={stream} onChange={(_, d) => setForm({ stream: d.checked })} data-testid="load-stream" />
        {/* One button that turns from Run load into Cancel and back: the focused element stays put (WCAG 2.4.3). */}
        <Button
          appearance={running ? 'secondary' : 'primary'}
          icon={running ? <StopRegular /> : <PlayRegular />}
          disabledFocusable={!running && (!run.running || !valid || load.job !== null || busy === 'load')}
          onClick={() => void (running ? cancelLoad() : startLoad({ rps: rpsN, durationSeconds: durN, stream }))}
          data-testid={running ? 'load-cancel' : 'load-start'}
        >
          {running ? 'Cancel' : 'Run load'}
        </Button>
      </div>
      {!run.running && <Caption1 className={styles.muted}>Load goes through the running gateway: start it first.</Caption1>}
      {running && <JobProgress progress={load.progress} testId="load-progress" />}
      {!running && last?.error && (
        <MessageBar intent="error">
          <MessageBarBody>{last.error.message}</MessageBarBody>
        </MessageBar>
      )}
      {!running && last?.load && <LoadReportFacts report={last.load} />}
    </Card>
  );
}
