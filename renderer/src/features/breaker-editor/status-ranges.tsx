import { Button, Field, makeStyles, SpinButton, Tag, TagGroup, Text, ToggleButton, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { usePendingFocus } from '../../app/focus-return';
import { addStatusRange, applyStatusPreset, removeStatusRange } from '../../../../shared/edit/breaker';
import { matchStatusPreset, STATUS_PRESETS } from '../../../../shared/edit/presets';
import type { StatusRange } from '../../../../shared/model/schema';
import { spinValue } from '../pool-editor/weight-control';
import { FieldIssues, type EditFn } from '../validation';
import { rangeText } from './explain-rule';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-end', flexWrap: 'wrap' },
  spin: { width: '84px' },
});

/** Status ranges as chips (click or Delete removes one), presets, and a min–max adder. */
export function StatusRanges({ backendId, ranges, basePath, onEdit }: { backendId: string; ranges: StatusRange[]; basePath: string; onEdit: EditFn }) {
  const styles = useStyles();
  const [min, setMin] = useState<number | undefined>(500);
  const [max, setMax] = useState<number | undefined>(599);
  const active = matchStatusPreset(ranges);
  const path = `${basePath}.statusCodeRanges`;
  // Focus goes to the next chip, else the previous one, else the adder: never to <body>.
  const focusLater = usePendingFocus();
  const dismiss = (index: number) => {
    const chip = (r: StatusRange | undefined) => (r ? [`status-chip-${r.min}-${r.max}`] : []);
    focusLater([...chip(ranges[index + 1]), ...chip(ranges[index - 1]), 'status-add-min', 'status-add']);
    onEdit((ws) => removeStatusRange(ws, backendId, index));
  };
  // Keys by range and occurrence, not by position: the chips after a removed one keep their DOM nodes (and focus).
  const seen = new Map<string, number>();
  const keyOf = (r: StatusRange) => {
    const base = `${r.min}-${r.max}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return `${base}#${n}`;
  };
  return (
    <div className={styles.root}>
      <Text weight="semibold">Status codes that count as failures</Text>
      <div className={styles.row} role="group" aria-label="Status code presets">
        {STATUS_PRESETS.map((p) => (
          <ToggleButton key={p.id} size="small" checked={active === p.id} onClick={() => onEdit((ws) => applyStatusPreset(ws, backendId, p.id))} data-testid={`status-preset-${p.id}`}>
            {p.label}
          </ToggleButton>
        ))}
      </div>
      <TagGroup aria-label="Failure status ranges" onDismiss={(_, d) => dismiss(Number(d.value))} data-testid="status-chips">
        {ranges.map((r, i) => (
          <Tag key={keyOf(r)} value={String(i)} dismissible dismissIcon={{ 'aria-label': `remove ${rangeText(r)}` }} data-testid={`status-chip-${r.min}-${r.max}`}>
            {rangeText(r)}
          </Tag>
        ))}
      </TagGroup>
      <FieldIssues path={path} />
      {ranges.map((r, i) => (
        <FieldIssues key={i} path={`${path}[${i}]`} exact={false} />
      ))}
      <div className={styles.row}>
        <Field label="From" size="small">
          <SpinButton className={styles.spin} min={200} max={599} value={min ?? null} onChange={(_, d) => setMin(spinValue(d) ?? undefined)} data-testid="status-add-min" />
        </Field>
        <Field label="To" size="small">
          <SpinButton className={styles.spin} min={200} max={599} value={max ?? null} onChange={(_, d) => setMax(spinValue(d) ?? undefined)} data-testid="status-add-max" />
        </Field>
        <Button
          size="small"
          disabled={min === undefined || max === undefined}
          onClick={() => min !== undefined && max !== undefined && onEdit((ws) => addStatusRange(ws, backendId, { min, max: Math.max(min, max) }))}
          data-testid="status-add"
        >
          Add range
        </Button>
      </div>
    </div>
  );
}
