import { Button, Caption1, Field, Input, makeStyles, SpinButton, Switch, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { DEFAULT_RETRY_CODES, retryNotes, setApiRetry, suggestedRetryCount } from '../../../../shared/edit/apis';
import { formatPath } from '../../../../shared/model/paths';
import type { Workspace } from '../../../../shared/model/schema';
import { spinValue } from '../pool-editor/weight-control';
import { fieldDomId, useFieldValidation, type EditFn } from '../validation';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  row: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  note: { color: tokens.colorNeutralForeground3 },
});

/** "429, 503" → [429, 503]; anything that is not a number is kept as NaN so validation reports it at the field. */
export function parseCodes(text: string): number[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((t) => (/^\d+$/.test(t) ? Number(t) : Number.NaN));
}

/** Retry of one api: on/off, count with the pool size − 1 suggestion, status codes; notes from B8. */
export function RetryFields({ workspace, apiId, onEdit }: { workspace: Workspace; apiId: string; onEdit: EditFn }) {
  const styles = useStyles();
  const api = workspace.apis?.[apiId];
  const countPath = formatPath(['apis', apiId, 'retry', 'count']);
  const onPath = formatPath(['apis', apiId, 'retry', 'on']);
  const countValidation = useFieldValidation(countPath);
  const onValidation = useFieldValidation(onPath, false);
  const codes = (api?.retry?.on ?? DEFAULT_RETRY_CODES).join(', ');
  const [codeText, setCodeText] = useState(codes);
  useEffect(() => setCodeText(codes), [codes]);
  if (!api) return null;
  const suggestion = suggestedRetryCount(workspace, api.backend);
  const retry = api.retry;
  const setRetry = (next: typeof retry) => onEdit((ws) => setApiRetry(ws, apiId, next));
  return (
    <div className={styles.root}>
      <div className={styles.row}>
        <Switch
          label="Retry on another member"
          checked={!!retry}
          onChange={(_, d) => setRetry(d.checked ? { count: Math.max(1, suggestion), on: [...DEFAULT_RETRY_CODES] } : undefined)}
          data-testid={`retry-toggle-${apiId}`}
        />
        {retry && (
          <>
            <Field label="Retries" size="small" {...countValidation}>
              <SpinButton
                id={fieldDomId(countPath)}
                min={0}
                max={50}
                value={retry.count}
                onChange={(_, d) => {
                  const v = spinValue(d);
                  if (typeof v === 'number') setRetry({ ...retry, count: v });
                }}
                data-testid={`retry-count-${apiId}`}
              />
            </Field>
            <Field label="On status codes" size="small" {...onValidation}>
              <Input
                id={fieldDomId(onPath)}
                value={codeText}
                onChange={(_, d) => setCodeText(d.value)}
                onBlur={() => setRetry({ ...retry, on: parseCodes(codeText) })}
                data-testid={`retry-codes-${apiId}`}
              />
            </Field>
            <Button size="small" disabled={retry.count === suggestion} onClick={() => setRetry({ ...retry, count: suggestion })} data-testid={`retry-suggest-${apiId}`}>
              Use {suggestion} (pool size − 1)
            </Button>
          </>
        )}
      </div>
      <Caption1 className={styles.note} data-testid={`retry-suggestion-${apiId}`}>
        Suggested: {suggestion} {suggestion === 1 ? 'retry' : 'retries'} (pool size − 1): more can only re-pick a member that already failed this request.
      </Caption1>
      {retryNotes(workspace, apiId).map((n) => (
        <Caption1 key={n} className={styles.note} data-testid={`retry-note-${apiId}`}>
          {n}
        </Caption1>
      ))}
    </div>
  );
}
