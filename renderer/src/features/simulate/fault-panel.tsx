import { Badge, Button, Caption1, Card, Field, Input, makeStyles, Subtitle2, Text, tokens, Tooltip } from '@fluentui/react-components';
import type { FaultSpec, FaultType } from '../../../../shared/simulation/faults';
import { DEFAULT_FAULT_INPUTS } from '../../store/monitor/simulate-form';
import { useMonitor } from '../monitor/use-monitor';
import { useSimulateForm } from './use-simulate-form';

const useStyles = makeStyles({
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(480px, 1fr))', gap: tokens.spacingHorizontalM },
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, padding: tokens.spacingHorizontalM },
  head: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  name: { fontWeight: tokens.fontWeightSemibold, flex: 1, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  row: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  // The three faults that take a parameter, each as "value + switch", side by side in equal columns.
  params: { display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: tokens.spacingHorizontalM },
  pair: { display: 'flex', gap: tokens.spacingHorizontalXS, alignItems: 'center' },
  num: { width: '64px', minWidth: '64px' },
  muted: { color: tokens.colorNeutralForeground3 },
});

const HELP: Record<FaultType, string> = {
  throttle: 'Every request answers 429 with this Retry-After, like Azure OpenAI over its quota',
  errors: 'This share of requests answers 500 or 503',
  slow: 'Latency multiplied by this factor',
  outage: 'Connection refused until cleared',
  hang: 'Accepts requests and never answers (the gateway times out)',
  reset: 'Drops the connection mid-answer',
};

const num = (text: string, fallback: number) => {
  const n = Number(text);
  return Number.isFinite(n) && text.trim() !== '' ? n : fallback;
};

function describe(f: FaultSpec): string {
  if (f.type === 'throttle') return `throttle · Retry-After ${f.retryAfter} s`;
  if (f.type === 'errors') return `errors · ${Math.round(f.rate * 100)} %`;
  if (f.type === 'slow') return `slow · ×${f.factor}`;
  return f.type;
}

function BackendFaults({ id, fault, disabled }: { id: string; fault: FaultSpec | null | undefined; disabled: boolean }) {
  const styles = useStyles();
  const setFault = useMonitor((s) => s.setFault);
  const clearFault = useMonitor((s) => s.clearFault);
  const [form, setForm] = useSimulateForm();
  const { retryAfter, rate, factor } = { ...DEFAULT_FAULT_INPUTS, ...form.faults[id] };
  const setRetryAfter = (v: string) => setForm({ faults: { [id]: { retryAfter: v } } });
  const setRate = (v: string) => setForm({ faults: { [id]: { rate: v } } });
  const setFactor = (v: string) => setForm({ faults: { [id]: { factor: v } } });
  // The buttons turn aria-disabled, not disabled, while a fault is being set: focus stays on the one pressed.
  const fire = (spec: FaultSpec) => void setFault(id, spec);
  const button = (type: FaultType, spec: () => FaultSpec, label: string) => (
    <Tooltip content={HELP[type]} relationship="description">
      <Button size="small" appearance={fault?.type === type ? 'primary' : 'secondary'} disabledFocusable={disabled} onClick={() => fire(spec())} data-testid={`fault-${id}-${type}`}>
        {label}
      </Button>
    </Tooltip>
  );
  return (
    <Card className={styles.card} data-testid={`fault-card-${id}`} role="group" aria-labelledby={`fault-title-${id}`}>
      <div className={styles.head}>
        <Text as="h3" id={`fault-title-${id}`} className={styles.name} title={id} style={{ margin: 0 }}>
          {`Faults of ${id}`}
        </Text>
        <Badge appearance="tint" color={fault ? 'warning' : 'success'} data-testid={`fault-state-${id}`}>
          {fault ? describe(fault) : 'healthy'}
        </Badge>
        <Button size="small" appearance="subtle" disabledFocusable={disabled || !fault} onClick={() => void clearFault(id)} data-testid={`fault-${id}-clear`}>
          Clear
        </Button>
      </div>
      <div className={styles.params}>
        <Field label="Retry-After (s)" size="small">
          <div className={styles.pair}>
            <Input className={styles.num} size="small" type="number" min={0} value={retryAfter} onChange={(_, d) => setRetryAfter(d.value)} data-testid={`fault-${id}-retry-after`} />
            {button('throttle', () => ({ type: 'throttle', retryAfter: Math.round(Math.min(86_400, Math.max(0, num(retryAfter, 30)))) }), 'Throttle')}
          </div>
        </Field>
        <Field label="Error rate (%)" size="small">
          <div className={styles.pair}>
            <Input className={styles.num} size="small" type="number" min={0} max={100} value={rate} onChange={(_, d) => setRate(d.value)} data-testid={`fault-${id}-rate`} />
            {button('errors', () => ({ type: 'errors', rate: Math.min(1, Math.max(0, num(rate, 100) / 100)) }), 'Errors')}
          </div>
        </Field>
        <Field label="Latency ×" size="small">
          <div className={styles.pair}>
            <Input className={styles.num} size="small" type="number" min={1} value={factor} onChange={(_, d) => setFactor(d.value)} data-testid={`fault-${id}-factor`} />
            {button('slow', () => ({ type: 'slow', factor: Math.min(1000, Math.max(1, num(factor, 10))) }), 'Slow')}
          </div>
        </Field>
      </div>
      <div className={styles.row}>
        {button('outage', () => ({ type: 'outage' }), 'Outage')}
        {button('hang', () => ({ type: 'hang' }), 'Hang')}
        {button('reset', () => ({ type: 'reset' }), 'Reset mid-answer')}
      </div>
    </Card>
  );
}

/** Per simulated backend: switch one fault on (it replaces the one before) or clear it. */
export function FaultPanel() {
  const styles = useStyles();
  const run = useMonitor((s) => s.monitor.run);
  const backends = useMonitor((s) => s.monitor.config?.backends);
  const faults = useMonitor((s) => s.monitor.faults);
  const busy = useMonitor((s) => s.monitor.busy);
  const simulated = run.running && run.simulate;
  return (
    <section data-testid="fault-panel" aria-label="Faults" style={{ display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS }}>
      <Subtitle2 as="h2">Faults</Subtitle2>
      {!simulated ? (
        <Caption1 className={styles.muted}>
          {run.running ? 'The gateway runs against the real backends: faults apply to simulated ones. Stop it and start it with simulated backends.' : 'Start the gateway with simulated backends to switch faults on them.'}
        </Caption1>
      ) : (
        <div className={styles.grid}>
          {(backends ?? []).map((id) => (
            <BackendFaults key={id} id={id} fault={faults[id]} disabled={busy === `fault ${id}`} />
          ))}
        </div>
      )}
    </section>
  );
}
