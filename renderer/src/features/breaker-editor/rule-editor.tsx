import { Button, Caption1, Card, Field, Input, makeStyles, Radio, RadioGroup, SpinButton, Subtitle2, Switch, Text, tokens } from '@fluentui/react-components';
import { DeleteRegular } from '@fluentui/react-icons';
import { applyBreakerPreset, ruleOf, setBreakerRule, setThreshold, thresholdOf, updateBreakerRule, type ThresholdKind } from '../../../../shared/edit/breaker';
import { BREAKER_PRESETS } from '../../../../shared/edit/presets';
import { orUnchanged } from '../../../../shared/edit/result';
import { formatPath } from '../../../../shared/model/paths';
import type { Workspace } from '../../../../shared/model/schema';
import { spinValue } from '../pool-editor/weight-control';
import { FieldIssues, fieldDomId, useFieldValidation, type EditFn } from '../validation';
import { DurationField } from './duration-field';
import { ErrorReasons } from './error-reasons';
import { FIDELITY_DOC } from '../../../../shared/semantics/fidelity';
import { explainRule } from './explain-rule';
import { RuleTimeline } from './rule-timeline';
import { StatusRanges } from './status-ranges';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '720px' },
  row: { display: 'flex', gap: tokens.spacingHorizontalL, alignItems: 'flex-end', flexWrap: 'wrap' },
  explainer: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, backgroundColor: tokens.colorNeutralBackground2 },
  sentence: { fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  muted: { color: tokens.colorNeutralForeground3 },
  spin: { width: '96px' },
});

function Presets({ backendId, onEdit }: { backendId: string; onEdit: EditFn }) {
  const styles = useStyles();
  return (
    <div className={styles.row} role="group" aria-label="Breaker presets">
      {BREAKER_PRESETS.map((p) => (
        <Button key={p.id} size="small" title={p.description} onClick={() => onEdit((ws) => orUnchanged(ws, applyBreakerPreset(ws, backendId, p.id)))} data-testid={`breaker-preset-${p.id}`}>
          {p.label}
        </Button>
      ))}
    </div>
  );
}

/** The circuit breaker rule of one backend, field by field, with the explainer in words and on a timeline. */
export function RuleEditor({ workspace, backendId, onEdit }: { workspace: Workspace; backendId: string; onEdit: EditFn }) {
  const styles = useStyles();
  const rule = ruleOf(workspace, backendId);
  const base = formatPath(['backends', backendId, 'circuitBreaker', 'rules', 0]);
  const cond = `${base}.failureCondition`;
  const threshold = rule ? thresholdOf(rule) : { kind: 'count' as ThresholdKind, value: undefined };
  const thresholdPath = `${cond}.${threshold.kind}`;
  const thresholdValidation = useFieldValidation(thresholdPath);
  const nameValidation = useFieldValidation(`${base}.name`);
  const retryAfterValidation = useFieldValidation(`${base}.acceptRetryAfter`);
  if (!rule) {
    return (
      <div className={styles.root} data-testid={`rule-editor-${backendId}`}>
        <Text>No circuit breaker: failures of {backendId} never take it out of its pools. Start from a preset:</Text>
        <Presets backendId={backendId} onEdit={onEdit} />
      </div>
    );
  }
  const explanation = explainRule(rule);
  const c = rule.failureCondition;
  return (
    <div className={styles.root} data-testid={`rule-editor-${backendId}`}>
      <Card className={styles.explainer} data-testid="rule-explainer">
        <Text className={styles.sentence} data-testid="rule-sentence">
          {explanation.sentence}
        </Text>
        <Caption1>{explanation.failures}</Caption1>
        <Caption1 className={styles.muted}>{explanation.after}</Caption1>
        <Caption1 className={styles.muted} data-testid="rule-fidelity" title={FIDELITY_DOC}>
          Fidelity rows ({FIDELITY_DOC}): {explanation.rows.map((r) => `${r.id} ${r.title}`).join('; ')}
        </Caption1>
        <RuleTimeline rule={rule} />
      </Card>
      <FieldIssues path={formatPath(['backends', backendId, 'circuitBreaker'])} />
      <FieldIssues path={formatPath(['backends', backendId, 'circuitBreaker', 'rules'])} />
      <Subtitle2>Presets</Subtitle2>
      <Presets backendId={backendId} onEdit={onEdit} />
      <div className={styles.row}>
        <Field label="Rule name" size="small" {...nameValidation}>
          <Input id={fieldDomId(`${base}.name`)} value={rule.name ?? ''} onChange={(_, d) => onEdit((ws) => updateBreakerRule(ws, backendId, { name: d.value }), { coalesceKey: `rule:${backendId}:name` })} data-testid="rule-name" />
        </Field>
        <Field label="Trip when" size="small">
          <RadioGroup layout="horizontal" value={threshold.kind} onChange={(_, d) => onEdit((ws) => setThreshold(ws, backendId, d.value as ThresholdKind))}>
            <Radio value="count" label="a count of failures" data-testid="threshold-kind-count" />
            <Radio value="percentage" label="a percentage of responses" data-testid="threshold-kind-percentage" />
          </RadioGroup>
        </Field>
        <Field label={threshold.kind === 'count' ? 'Failures' : 'Percent failing'} size="small" {...thresholdValidation}>
          <SpinButton
            className={styles.spin}
            id={fieldDomId(thresholdPath)}
            min={1}
            max={threshold.kind === 'count' ? 1000 : 100}
            value={threshold.value ?? null}
            onChange={(_, d) => {
              const v = spinValue(d);
              if (typeof v === 'number') onEdit((ws) => setThreshold(ws, backendId, threshold.kind, v), { coalesceKey: `rule:${backendId}:threshold` });
            }}
            data-testid="threshold-value"
          />
        </Field>
      </div>
      <div className={styles.row}>
        <DurationField label="Within (interval)" path={`${cond}.interval`} value={c.interval} onChange={(v) => onEdit((ws) => updateBreakerRule(ws, backendId, { interval: v }), { coalesceKey: `rule:${backendId}:interval` })} testId="rule-interval" />
        <DurationField label="Open for (trip duration)" path={`${base}.tripDuration`} value={rule.tripDuration} onChange={(v) => onEdit((ws) => updateBreakerRule(ws, backendId, { tripDuration: v }), { coalesceKey: `rule:${backendId}:tripDuration` })} testId="rule-trip-duration" />
        <Field size="small" {...retryAfterValidation}>
          <Switch
            label="Accept Retry-After (open as long as the backend says)"
            checked={!!rule.acceptRetryAfter}
            onChange={(_, d) => onEdit((ws) => updateBreakerRule(ws, backendId, { acceptRetryAfter: d.checked }))}
            data-testid="accept-retry-after"
          />
        </Field>
      </div>
      <StatusRanges backendId={backendId} ranges={c.statusCodeRanges ?? []} basePath={cond} onEdit={onEdit} />
      <ErrorReasons backendId={backendId} reasons={c.errorReasons ?? []} path={`${cond}.errorReasons`} onEdit={onEdit} />
      <div>
        <Button icon={<DeleteRegular />} appearance="subtle" onClick={() => onEdit((ws) => setBreakerRule(ws, backendId, undefined))} data-testid="remove-breaker">
          Remove circuit breaker
        </Button>
      </div>
    </div>
  );
}
