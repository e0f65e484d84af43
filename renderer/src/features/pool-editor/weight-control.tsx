import { Field, makeStyles, Slider, SpinButton, tokens } from '@fluentui/react-components';
import { fieldDomId, useFieldValidation } from '../validation';

const useStyles = makeStyles({
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  slider: { flexGrow: 1, minWidth: '80px' },
  spin: { width: '76px' },
  track: { height: '6px', borderRadius: tokens.borderRadiusSmall, backgroundColor: tokens.colorNeutralBackground5, overflow: 'hidden', marginTop: tokens.spacingVerticalXXS },
  bar: { height: '100%', backgroundColor: tokens.colorBrandBackground },
});

/**
 * Reads a SpinButton change: a step gives `value`, typing gives only `displayValue` (Fluent v9 behaviour).
 * Empty text is `undefined` (remove the field); text that is no number is `null` (ignore the change).
 */
export function spinValue(data: { value?: number | null; displayValue?: string }): number | null | undefined {
  if (typeof data.value === 'number') return data.value;
  const text = data.displayValue?.trim();
  if (!text) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/**
 * Weight by slider and number. The number is stored as typed, even out of range, so that validation shows the
 * error here (issue 7); the slider clamps to APIM's 0–100. An empty box removes the weight (counts as 1, B2).
 */
export function WeightControl({ backend, weight, path, onChange, laneMax }: { backend: string; weight: number | undefined; path: string; onChange(weight: number | undefined): void; laneMax?: number }) {
  const styles = useStyles();
  const validation = useFieldValidation(path);
  const shown = weight ?? 1;
  // The slider spans APIM's 0–100, where 10 and 1 look alike; the bar is drawn against the lane's largest weight,
  // so 10 vs 1 looks like 10 vs 1 (issue 15 item 7).
  const barShare = laneMax && laneMax > 0 && Number.isFinite(shown) ? Math.max(0, Math.min(1, shown / laneMax)) : null;
  return (
    <Field label="Weight" size="small" hint={weight === undefined ? 'not set: counts as 1' : undefined} {...validation}>
      <div className={styles.row}>
        <Slider
          className={styles.slider}
          min={0}
          max={100}
          size="small"
          value={Math.max(0, Math.min(100, Number.isFinite(shown) ? shown : 1))}
          onChange={(_, d) => onChange(d.value)}
          aria-label={`Weight of ${backend}, slider 0 to 100`}
          data-testid={`weight-slider-${backend}`}
        />
        <SpinButton
          className={styles.spin}
          id={fieldDomId(path)}
          min={0}
          max={100}
          value={weight ?? null}
          displayValue={weight === undefined ? '' : undefined}
          onChange={(_, d) => {
            const v = spinValue(d);
            if (v !== null) onChange(v);
          }}
          aria-label={`Weight of ${backend}, number`}
          data-testid={`weight-input-${backend}`}
        />
      </div>
      {barShare !== null && (
        <div className={styles.track} title={`weight ${shown} of the lane's largest ${laneMax}`} data-testid={`weight-bar-${backend}`} data-share={barShare.toFixed(3)} aria-hidden>
          <div className={styles.bar} style={{ width: `${barShare * 100}%` }} />
        </div>
      )}
    </Field>
  );
}
