import { Body1, Button, Caption1, Card, CardHeader, Checkbox, Field, makeStyles, MessageBar, MessageBarBody, Select, Subtitle2, tokens } from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import { applySuggestion, capacityModels, suggestPool, type PoolSuggestion } from '../../../../shared/edit/suggest-pool';
import type { Workspace } from '../../../../shared/model/schema';
import { useAppStore } from '../../store/store-context';
import { selectWorkspaceValue } from '../../store/workspace/selectors';
import type { WorkspaceValue } from '../../store/workspace/slice';

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-end', flexWrap: 'wrap' },
  change: { display: 'grid', gridTemplateColumns: 'auto 1fr', gap: tokens.spacingHorizontalS, padding: tokens.spacingVerticalS, borderTop: `1px solid ${tokens.colorNeutralStroke2}` },
  code: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: 0 },
  before: { color: tokens.colorPaletteRedForeground1 },
  after: { color: tokens.colorPaletteGreenForeground1 },
  muted: { color: tokens.colorNeutralForeground3 },
});

const show = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v));

/** The pool suggestion as a diff: every change with its reason, each accepted or left out by the user. */
export function SuggestionCard() {
  const styles = useStyles();
  const value = useAppStore(selectWorkspaceValue) as Workspace | null;
  const edit = useAppStore((s) => s.editWorkspace);
  const models = useMemo(() => (value ? capacityModels(value) : []), [value]);
  const [model, setModel] = useState('');
  const [suggestion, setSuggestion] = useState<PoolSuggestion | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [accepted, setAccepted] = useState<Set<string>>(new Set());
  const chosen = model || models[0] || '';

  const suggest = () => {
    if (!value) return;
    const r = suggestPool(value, { model: chosen });
    setMessage(r.ok ? null : r.message);
    setSuggestion(r.ok ? r.suggestion : null);
    setAccepted(new Set(r.ok ? r.suggestion.changes.map((c) => c.path) : []));
  };
  const accept = () => {
    if (!suggestion) return;
    edit((draft) => applySuggestion(draft as unknown as Workspace, suggestion, [...accepted]) as unknown as WorkspaceValue);
    setMessage(`applied ${accepted.size} of ${suggestion.changes.length} changes (undo with Ctrl+Z)`);
    setSuggestion(null);
  };

  return (
    <Card className={styles.card} data-testid="discovery-suggestion">
      <CardHeader header={<Subtitle2>Suggest a pool</Subtitle2>} description={<Caption1>PTU deployments in priority 1, pay-as-you-go in priority 2, weights by capacity, a breaker per SKU. Nothing changes until you accept.</Caption1>} />
      {models.length === 0 ? (
        <Body1 className={styles.muted}>No backend has a recorded capacity yet: add deployments above.</Body1>
      ) : (
        <div className={styles.row}>
          <Field label="Model">
            <Select value={chosen} onChange={(_, d) => setModel(d.value)} data-testid="suggest-model">
              {models.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </Select>
          </Field>
          <Button onClick={suggest} data-testid="suggest-run">
            Suggest
          </Button>
        </div>
      )}
      {message && (
        <MessageBar intent={suggestion ? 'info' : 'warning'}>
          <MessageBarBody>{message}</MessageBarBody>
        </MessageBar>
      )}
      {suggestion && (
        <div data-testid="suggest-diff">
          {suggestion.changes.map((c) => (
            <div key={c.path} className={styles.change}>
              <Checkbox
                checked={accepted.has(c.path)}
                aria-label={`accept ${c.path}`}
                onChange={(_, d) => {
                  const next = new Set(accepted);
                  if (d.checked) next.add(c.path);
                  else next.delete(c.path);
                  setAccepted(next);
                }}
              />
              <div>
                <Body1>
                  <code>{c.path}</code> — {c.why}
                </Body1>
                <pre className={`${styles.code} ${styles.before}`}>- {show(c.before)}</pre>
                <pre className={`${styles.code} ${styles.after}`}>+ {show(c.after)}</pre>
              </div>
            </div>
          ))}
          {suggestion.notes.map((n) => (
            <Caption1 key={n} as="p" className={styles.muted}>
              {n}
            </Caption1>
          ))}
          <div className={styles.row}>
            <Button appearance="primary" disabled={accepted.size === 0} onClick={accept} data-testid="suggest-accept">
              Accept {accepted.size} change{accepted.size === 1 ? '' : 's'}
            </Button>
            <Button onClick={() => setSuggestion(null)}>Discard</Button>
          </div>
        </div>
      )}
    </Card>
  );
}
