import { Caption1, Field, Input, makeStyles, Select, Switch, tokens } from '@fluentui/react-components';
import { formatPath } from '../../../../shared/model/paths';
import { TOKEN_QUOTA_PERIODS, type CounterKey, type TokenLimit, type Workspace } from '../../../../shared/model/schema';
import { fieldDomId, useFieldValidation, type EditFn } from '../validation';
import { explainTokenLimit } from './explain-token-limit';
import { DEFAULT_TOKEN_LIMIT, setTokenLimit } from './token-edits';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  row: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  note: { color: tokens.colorNeutralForeground3 },
  explain: { display: 'flex', flexDirection: 'column', gap: '2px', paddingLeft: tokens.spacingHorizontalS, borderLeft: `2px solid ${tokens.colorBrandStroke1}` },
});

/** '' → undefined; digits → the number; anything else NaN, so validation names the field. */
export const wholeOrUndefined = (text: string): number | undefined => (text.trim() === '' ? undefined : /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);
const textOrUndefined = (text: string) => (text.trim() === '' ? undefined : text.trim());

type KeyKind = 'subscription' | 'ip' | 'header' | 'expression';
const keyKind = (k: CounterKey): KeyKind => (typeof k === 'string' ? k : 'header' in k ? 'header' : 'expression');

const HEADERS = [
  ['retryAfterHeader', 'Retry-After header', 'Retry-After'],
  ['remainingTokensHeader', 'Remaining tokens header', 'none'],
  ['remainingQuotaTokensHeader', 'Remaining quota header', 'none'],
  ['tokensConsumedHeader', 'Tokens consumed header', 'none'],
] as const;

/** A validated text or number field of the token limit. */
function LimitInput({ apiId, field, label, value, placeholder, onChange, testId }: { apiId: string; field: (string | number)[]; label: string; value: string; placeholder?: string; onChange: (v: string) => void; testId: string }) {
  const path = formatPath(['apis', apiId, 'tokenLimit', ...field]);
  const validation = useFieldValidation(path);
  return (
    <Field label={label} size="small" {...validation}>
      <Input id={fieldDomId(path)} value={value} placeholder={placeholder} onChange={(_, d) => onChange(d.value)} data-testid={testId} />
    </Field>
  );
}

/** The token limit of one API: rate and/or quota per counter key, estimate, header names, explained in words. */
export function TokenLimitFields({ workspace, apiId, onEdit }: { workspace: Workspace; apiId: string; onEdit: EditFn }) {
  const styles = useStyles();
  const t = workspace.apis?.[apiId]?.tokenLimit;
  const set = (next: TokenLimit | undefined, coalesce?: string) => onEdit((ws) => setTokenLimit(ws, apiId, next), coalesce ? { coalesceKey: `api:${apiId}:tokenLimit:${coalesce}` } : undefined);
  const numText = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '' : String(v));
  return (
    <div className={styles.root} data-testid={`token-limit-${apiId}`}>
      <Switch label="Token limit (tokens per minute and/or a quota, per counter key)" checked={!!t} onChange={(_, d) => set(d.checked ? { ...DEFAULT_TOKEN_LIMIT } : undefined)} data-testid={`token-limit-toggle-${apiId}`} />
      {t && (
        <>
          <div className={styles.row}>
            <Field label="Policy" size="small">
              <Select value={t.flavour} onChange={(_, d) => set({ ...t, flavour: d.value as TokenLimit['flavour'] })} data-testid={`token-limit-flavour-${apiId}`}>
                <option value="azure-openai">Azure OpenAI (azure-openai-token-limit)</option>
                <option value="llm">Any LLM API (llm-token-limit)</option>
              </Select>
            </Field>
            <LimitInput apiId={apiId} field={['tokensPerMinute']} label="Tokens per minute" value={numText(t.tokensPerMinute)} placeholder="none" onChange={(v) => set({ ...t, tokensPerMinute: wholeOrUndefined(v) }, 'tpm')} testId={`token-limit-tpm-${apiId}`} />
            <LimitInput apiId={apiId} field={['quota', 'tokens']} label="Quota (tokens)" value={numText(t.quota?.tokens)} placeholder="none" onChange={(v) => {
              const tokens = wholeOrUndefined(v);
              set({ ...t, quota: tokens === undefined ? undefined : { tokens, period: t.quota?.period ?? 'Monthly' } }, 'quota');
            }} testId={`token-limit-quota-${apiId}`} />
            {t.quota && (
              <Field label="Per" size="small">
                <Select value={t.quota.period} onChange={(_, d) => set({ ...t, quota: { ...t.quota!, period: d.value as (typeof TOKEN_QUOTA_PERIODS)[number] } })} data-testid={`token-limit-period-${apiId}`}>
                  {TOKEN_QUOTA_PERIODS.map((p) => <option key={p} value={p}>{p}</option>)}
                </Select>
              </Field>
            )}
          </div>
          <div className={styles.row}>
            <Field label="Counter key" size="small">
              <Select
                value={keyKind(t.counterKey)}
                onChange={(_, d) => {
                  const k = d.value as KeyKind;
                  set({ ...t, counterKey: k === 'header' ? { header: 'x-tenant' } : k === 'expression' ? { expression: '@(context.Subscription.Id)' } : k });
                }}
                data-testid={`token-limit-key-${apiId}`}
              >
                <option value="subscription">Subscription</option>
                <option value="ip">Client IP address</option>
                <option value="header">A request header</option>
                <option value="expression">A policy expression</option>
              </Select>
            </Field>
            {typeof t.counterKey === 'object' && 'header' in t.counterKey && (
              <LimitInput apiId={apiId} field={['counterKey', 'header']} label="Header" value={t.counterKey.header} onChange={(v) => set({ ...t, counterKey: { header: v } }, 'key')} testId={`token-limit-key-header-${apiId}`} />
            )}
            {typeof t.counterKey === 'object' && 'expression' in t.counterKey && (
              <LimitInput apiId={apiId} field={['counterKey', 'expression']} label="Expression" value={t.counterKey.expression} onChange={(v) => set({ ...t, counterKey: { expression: v } }, 'key')} testId={`token-limit-key-expression-${apiId}`} />
            )}
            <Switch label="Estimate prompt tokens before the call" checked={t.estimatePromptTokens} onChange={(_, d) => set({ ...t, estimatePromptTokens: d.checked })} data-testid={`token-limit-estimate-${apiId}`} />
          </div>
          <div className={styles.row}>
            {HEADERS.map(([field, label, placeholder]) => (
              <LimitInput key={field} apiId={apiId} field={[field]} label={label} value={t[field] ?? ''} placeholder={placeholder} onChange={(v) => set({ ...t, [field]: textOrUndefined(v) }, field)} testId={`token-limit-${field}-${apiId}`} />
            ))}
          </div>
          <div className={styles.explain} data-testid={`token-limit-explain-${apiId}`}>
            {explainTokenLimit(t).map((line) => (
              <Caption1 key={line}>{line}</Caption1>
            ))}
          </div>
        </>
      )}
    </div>
  );
}
