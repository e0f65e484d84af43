import { Body1, Button, Caption1, Card, CardHeader, Field, Input, makeStyles, MessageBar, MessageBarBody, Spinner, Subtitle2, tokens } from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import { describeRun } from '../../../../shared/capacity/summary';
import { parseSweep } from '../../../../shared/capacity/sweep';
import { useAppStore } from '../../store/store-context';
import { BudgetFields } from './budget-fields';
import { SweepChart } from './sweep-chart';
import { sweepRows } from './sweep-data';

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', flexWrap: 'wrap' },
  field: { width: '170px' },
  input: { width: '100%', minWidth: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
  lines: { margin: 0, paddingLeft: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
});

/** A number field's value, or a message naming what is wrong. */
function num(text: string, label: string, integer: boolean): number | string {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) return `${label}: enter a number greater than 0`;
  if (integer && !Number.isInteger(n)) return `${label}: enter a whole number`;
  return n;
}

/** The capacity planner: a traffic profile swept over load factors, in virtual time, charted against load. */
export function PlannerCard() {
  const styles = useStyles();
  const { plan, planning, planError } = useAppStore((s) => s.discovery);
  const planCapacity = useAppStore((s) => s.planCapacity);
  const observeDeployed = useAppStore((s) => s.observeDeployed);
  const [observing, setObserving] = useState(false);
  const [observed, setObserved] = useState<string | null>(null);
  const [rpm, setRpm] = useState('600');
  const [tokensPerRequest, setTokens] = useState('1000');
  const [minutes, setMinutes] = useState('60');
  const [sweep, setSweep] = useState('0.5:3:0.5');
  const [problem, setProblem] = useState<string | null>(null);
  const rows = useMemo(() => (plan ? sweepRows(plan) : []), [plan]);

  const run = () => {
    const values = [num(rpm, 'requests per minute', false), num(tokensPerRequest, 'tokens per request', true), num(minutes, 'duration', true)];
    const bad = values.find((v) => typeof v === 'string');
    const factors = parseSweep(sweep);
    if (bad !== undefined || !factors.ok) return setProblem((bad as string | undefined) ?? (factors.ok ? null : factors.message.replace('--sweep', 'load factors')));
    setProblem(null);
    void planCapacity({ rpm: values[0] as number, tokensPerRequest: values[1] as number, durationSeconds: (values[2] as number) * 60, factors: factors.factors });
  };

  /** Fills the profile from the deployed service's gateway logs; tokens stay as typed when the logs have none. */
  const fromDeployed = async () => {
    setObserving(true);
    const p = await observeDeployed();
    setObserving(false);
    if (typeof p === 'string') return setProblem(`Deployed service: ${p}`);
    setProblem(null);
    setRpm(String(p.rpm));
    if (p.tokensPerRequest !== null) setTokens(String(p.tokensPerRequest));
    setObserved(`Observed on the deployed service: ${p.rpm} requests/min, ${p.tokensPerRequest === null ? 'no token counts in the logs (tokens per request kept as typed)' : `${p.tokensPerRequest} tokens per answered request`} over ${p.minutes} min (${p.from.slice(11, 19)}–${p.to.slice(11, 19)} UTC).`);
  };

  return (
    <Card className={styles.card} data-testid="capacity-planner">
      <CardHeader header={<Subtitle2>Plan capacity</Subtitle2>} description={<Caption1>The gateway&apos;s own routing and breakers on simulated backends whose budgets are the simulation: profiles, else the recorded capacities — in virtual time.</Caption1>} />
      <BudgetFields />
      <div className={styles.row}>
        <Field label="Requests per minute" className={styles.field}>
          <Input value={rpm} onChange={(_, d) => setRpm(d.value)} inputMode="decimal" data-testid="plan-rpm" className={styles.input} />
        </Field>
        <Field label="Tokens per request" className={styles.field}>
          <Input value={tokensPerRequest} onChange={(_, d) => setTokens(d.value)} inputMode="numeric" data-testid="plan-tokens" className={styles.input} />
        </Field>
        <Field label="Duration (minutes)" className={styles.field}>
          <Input value={minutes} onChange={(_, d) => setMinutes(d.value)} inputMode="numeric" data-testid="plan-minutes" className={styles.input} />
        </Field>
        <Field label="Load factors (from:to:step)" className={styles.field}>
          <Input value={sweep} onChange={(_, d) => setSweep(d.value)} data-testid="plan-sweep" className={styles.input} />
        </Field>
        <Button appearance="primary" onClick={run} disabled={planning} data-testid="plan-run">
          Run
        </Button>
        <Button onClick={() => void fromDeployed()} disabled={observing} data-testid="plan-from-deployed">
          From the deployed service
        </Button>
        {(planning || observing) && <Spinner size="tiny" label={observing ? 'Reading logs…' : 'Planning…'} />}
      </div>
      {observed && (
        <Caption1 className={styles.muted} data-testid="plan-observed">
          {observed}
        </Caption1>
      )}
      {(problem ?? planError) && (
        <MessageBar intent="error">
          <MessageBarBody>{problem ?? planError}</MessageBarBody>
        </MessageBar>
      )}
      {plan && (
        <>
          <Caption1 className={styles.muted} data-testid="plan-summary">
            {plan.target}: {plan.runs.length} runs in {plan.wallMs} ms of wall time{plan.unlimited.length ? `; no budget (planned as unlimited): ${plan.unlimited.join(', ')}` : ''}
          </Caption1>
          <SweepChart rows={rows} />
          <ul className={styles.lines} data-testid="plan-lines">
            {plan.runs.map((r) => (
              <li key={r.factor}>
                <Body1>{describeRun(r)}</Body1>
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}
