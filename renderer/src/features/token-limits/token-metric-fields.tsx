import { Button, Caption1, Checkbox, Field, Input, makeStyles, Select, Switch, tokens } from '@fluentui/react-components';
import { AddRegular, DeleteRegular } from '@fluentui/react-icons';
import { formatPath } from '../../../../shared/model/paths';
import { DEFAULT_METRIC_DIMENSIONS, MAX_CUSTOM_DIMENSIONS, type MetricDimension, type TokenMetric, type Workspace } from '../../../../shared/model/schema';
import { fieldDomId, useFieldValidation, type EditFn } from '../validation';
import { explainTokenMetric } from './explain-token-limit';
import { DEFAULT_TOKEN_METRIC, setTokenMetric } from './token-edits';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  row: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  checks: { display: 'flex', flexWrap: 'wrap', columnGap: tokens.spacingHorizontalM },
  note: { color: tokens.colorNeutralForeground3 },
});

type Custom = Exclude<MetricDimension, string>;

/** One custom dimension: its name and where its value comes from (a header, or a value / policy expression). */
function CustomDimension({ apiId, index, d, onChange, onRemove }: { apiId: string; index: number; d: Custom; onChange: (d: Custom) => void; onRemove: () => void }) {
  const styles = useStyles();
  const base = ['apis', apiId, 'tokenMetric', 'dimensions', index];
  const namePath = formatPath([...base, 'name']);
  const valuePath = formatPath([...base, d.header !== undefined ? 'header' : 'value']);
  const nameV = useFieldValidation(namePath);
  const valueV = useFieldValidation(valuePath);
  const fromHeader = d.header !== undefined;
  return (
    <div className={styles.row} data-testid={`token-metric-dim-${apiId}-${index}`}>
      <Field label="Dimension" size="small" {...nameV}>
        <Input id={fieldDomId(namePath)} value={d.name} onChange={(_, x) => onChange({ ...d, name: x.value })} />
      </Field>
      <Field label="From" size="small">
        <Select value={fromHeader ? 'header' : 'value'} onChange={(_, x) => onChange(x.value === 'header' ? { name: d.name, header: 'x-tenant' } : { name: d.name, value: '@(context.Request.IpAddress)' })}>
          <option value="header">a request header</option>
          <option value="value">a value or policy expression</option>
        </Select>
      </Field>
      <Field label={fromHeader ? 'Header' : 'Value'} size="small" {...valueV}>
        <Input id={fieldDomId(valuePath)} value={(fromHeader ? d.header : d.value) ?? ''} onChange={(_, x) => onChange(fromHeader ? { name: d.name, header: x.value } : { name: d.name, value: x.value })} />
      </Field>
      <Button size="small" appearance="subtle" icon={<DeleteRegular />} aria-label={`Remove dimension ${d.name}`} onClick={onRemove} />
    </div>
  );
}

/** The token metric of one API: namespace, the default dimensions to split by, and custom ones. */
export function TokenMetricFields({ workspace, apiId, onEdit }: { workspace: Workspace; apiId: string; onEdit: EditFn }) {
  const styles = useStyles();
  const m = workspace.apis?.[apiId]?.tokenMetric;
  const nsPath = formatPath(['apis', apiId, 'tokenMetric', 'namespace']);
  const dimsPath = formatPath(['apis', apiId, 'tokenMetric', 'dimensions']);
  const nsV = useFieldValidation(nsPath);
  const dimsV = useFieldValidation(dimsPath);
  const set = (next: TokenMetric | undefined, coalesce?: string) => onEdit((ws) => setTokenMetric(ws, apiId, next), coalesce ? { coalesceKey: `api:${apiId}:tokenMetric:${coalesce}` } : undefined);
  const dims = m?.dimensions ?? [];
  const customs = dims.map((d, i) => [d, i] as const).filter((x): x is readonly [Custom, number] => typeof x[0] !== 'string');
  const setDims = (next: MetricDimension[], coalesce?: string) => m && set({ ...m, dimensions: next }, coalesce);
  return (
    <div className={styles.root} data-testid={`token-metric-${apiId}`}>
      <Switch label="Token metric (prompt and completion tokens to Application Insights)" checked={!!m} onChange={(_, d) => set(d.checked ? { ...DEFAULT_TOKEN_METRIC } : undefined)} data-testid={`token-metric-toggle-${apiId}`} />
      {m && (
        <>
          <div className={styles.row}>
            <Field label="Policy" size="small">
              <Select value={m.flavour} onChange={(_, d) => set({ ...m, flavour: d.value as TokenMetric['flavour'] })}>
                <option value="azure-openai">Azure OpenAI (azure-openai-emit-token-metric)</option>
                <option value="llm">Any LLM API (llm-emit-token-metric)</option>
              </Select>
            </Field>
            <Field label="Namespace" size="small" {...nsV}>
              <Input id={fieldDomId(nsPath)} value={m.namespace ?? ''} placeholder="API Management" onChange={(_, d) => set({ ...m, namespace: d.value === '' ? undefined : d.value }, 'ns')} data-testid={`token-metric-namespace-${apiId}`} />
            </Field>
          </div>
          <Field label="Split by (APIM fills these in)" size="small" {...dimsV}>
            <div className={styles.checks} id={fieldDomId(dimsPath)}>
              {DEFAULT_METRIC_DIMENSIONS.map((name) => (
                <Checkbox
                  key={name}
                  label={name}
                  checked={dims.includes(name)}
                  onChange={(_, d) => setDims(d.checked ? [...dims, name] : dims.filter((x) => x !== name))}
                  data-testid={`token-metric-default-${apiId}-${name.replace(/ /g, '-')}`}
                />
              ))}
            </div>
          </Field>
          {customs.map(([d, i]) => (
            <CustomDimension key={i} apiId={apiId} index={i} d={d} onChange={(x) => setDims(dims.map((y, j) => (j === i ? x : y)), `dim${i}`)} onRemove={() => setDims(dims.filter((_, j) => j !== i))} />
          ))}
          <div className={styles.row}>
            <Button size="small" icon={<AddRegular />} disabled={customs.length >= MAX_CUSTOM_DIMENSIONS} onClick={() => setDims([...dims, { name: 'tenant', header: 'x-tenant' }])} data-testid={`token-metric-add-${apiId}`}>
              Add a custom dimension
            </Button>
            <Caption1 className={styles.note}>At most {MAX_CUSTOM_DIMENSIONS} custom dimensions (policy reference); each value multiplies Azure Monitor's time series.</Caption1>
          </div>
          <Caption1 className={styles.note} data-testid={`token-metric-explain-${apiId}`}>
            {explainTokenMetric(m)}
          </Caption1>
        </>
      )}
    </div>
  );
}
