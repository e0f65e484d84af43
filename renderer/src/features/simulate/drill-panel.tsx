import { Button, Caption1, Card, Field, Input, makeStyles, MessageBar, MessageBarBody, Radio, RadioGroup, Subtitle2, Switch, Textarea, tokens } from '@fluentui/react-components';
import { PlayRegular, StopRegular } from '@fluentui/react-icons';
import { useMonitor } from '../monitor/use-monitor';
import { DrillReport } from './drill-report';
import { JobProgress } from './load-panel';
import { useSimulateForm } from './use-simulate-form';

const useStyles = makeStyles({
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, padding: tokens.spacingHorizontalL },
  row: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  text: { fontFamily: tokens.fontFamilyMonospace, width: '100%' },
  num: { width: '80px' },
  muted: { color: tokens.colorNeutralForeground3 },
});

/**
 * A failover drill: the text (the demo's seed drill to start with) or a file on the machine that runs the gateway.
 * Isolated (its own gateway and simulated backends, compressed by the speed, like `breakerboard drill`) or live
 * through the running simulated gateway, so the Monitor shows every trip as it happens.
 */
export function DrillPanel() {
  const styles = useStyles();
  const run = useMonitor((s) => s.monitor.run);
  const load = useMonitor((s) => s.monitor.load);
  const runDrill = useMonitor((s) => s.runDrill);
  const cancelLoad = useMonitor((s) => s.cancelLoad);
  const [{ drillSource: source, drillText: text, drillPath: path, drillSpeed: speed, drillLive: live }, setForm] = useSimulateForm();
  const setSource = (v: 'text' | 'path') => setForm({ drillSource: v });
  const setText = (v: string) => setForm({ drillText: v });
  const setPath = (v: string) => setForm({ drillPath: v });
  const setSpeed = (v: string) => setForm({ drillSpeed: v });
  const setLive = (v: boolean) => setForm({ drillLive: v });
  const canLive = run.running && run.simulate;
  const running = load.job?.kind === 'drill';
  const speedN = Number(speed);
  const start = () =>
    void runDrill({
      ...(source === 'text' ? { text } : { path }),
      ...(live && canLive ? { live: true } : speedN > 0 ? { speed: speedN } : {}),
    });
  const last = load.lastDrill;
  return (
    <Card className={styles.card} data-testid="drill-panel">
      <Subtitle2 as="h2">Failover drill</Subtitle2>
      <RadioGroup layout="horizontal" value={source} onChange={(_, d) => setSource(d.value as 'text' | 'path')} aria-label="Drill source">
        <Radio value="text" label="Drill text" data-testid="drill-source-text" />
        <Radio value="path" label="Drill file" data-testid="drill-source-path" />
      </RadioGroup>
      {source === 'text' ? (
        <Textarea className={styles.text} resize="vertical" rows={10} value={text} onChange={(_, d) => setText(d.value)} aria-label="Drill YAML" data-testid="drill-text" />
      ) : (
        <Field label="Path (relative to the workspace's folder)" size="small">
          <Input value={path} onChange={(_, d) => setPath(d.value)} data-testid="drill-path" />
        </Field>
      )}
      <div className={styles.row}>
        <Switch label="Live, through the running gateway (watch it on Monitor)" checked={live && canLive} disabled={!canLive} onChange={(_, d) => setLive(d.checked)} data-testid="drill-live" />
        {!(live && canLive) && (
          <Field label="Speed ×" size="small">
            <Input className={styles.num} size="small" type="number" min={1} max={1000} value={speed} onChange={(_, d) => setSpeed(d.value)} data-testid="drill-speed" />
          </Field>
        )}
        {!running ? (
          <Button appearance="primary" icon={<PlayRegular />} disabled={load.job !== null} onClick={start} data-testid="drill-run">
            Run drill
          </Button>
        ) : (
          <Button icon={<StopRegular />} onClick={() => void cancelLoad()} data-testid="drill-cancel">
            Cancel
          </Button>
        )}
      </div>
      <Caption1 className={styles.muted}>
        {live && canLive
          ? 'Live drills run in real time on the running gateway; their faults are cleared when they end.'
          : 'Isolated drills start their own gateway and simulated backends; speed divides every duration (a 90 s drill at ×10 takes 9 s).'}
      </Caption1>
      {running && <JobProgress progress={load.progress} testId="drill-progress" />}
      {!running && last?.error && (
        <MessageBar intent="error" data-testid="drill-error">
          <MessageBarBody>{last.error.message}</MessageBarBody>
        </MessageBar>
      )}
      {!running && last?.drill && <DrillReport report={last.drill} />}
    </Card>
  );
}
