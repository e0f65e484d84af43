import { Badge, Button, Caption1, Divider, Field, Input, makeStyles, Subtitle2, Text, tokens } from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { addBackend, backendUses, checkNewId } from '../../../../shared/edit/backends';
import { orUnchanged } from '../../../../shared/edit/result';
import { formatPath } from '../../../../shared/model/paths';
import { ValidationProvider, ValidationSummary, issuesAt, type ScreenProps } from '../validation';
import { BackendEditor } from './backend-editor';
import type { SecretCallbacks } from './secret-entry';

const useStyles = makeStyles({
  body: { display: 'flex', gap: tokens.spacingHorizontalL, alignItems: 'flex-start' },
  nav: { flex: '0 0 240px', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  item: { justifyContent: 'space-between' },
  main: { flex: '1 1 auto', minWidth: 0 },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  muted: { color: tokens.colorNeutralForeground3 },
});

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Backends: list (with what uses each), add, edit, remove. */
export function BackendsSection(props: ScreenProps & SecretCallbacks) {
  const { workspace, onEdit, issues, ...secrets } = props;
  const styles = useStyles();
  const ids = Object.keys(workspace.backends ?? {});
  const [selected, setSelected] = useState<string | undefined>(ids[0]);
  const current = selected && ids.includes(selected) ? selected : ids[0];
  const [newId, setNewId] = useState('');
  const [newUrl, setNewUrl] = useState('');
  const problem = newId ? checkNewId(workspace, newId) : undefined;
  const add = () => {
    const backend = { url: newUrl };
    if (!orUnchanged(workspace, addBackend(workspace, newId, backend)).backends[newId]) return;
    onEdit((ws) => orUnchanged(ws, addBackend(ws, newId, backend)));
    setSelected(newId);
    setNewId('');
    setNewUrl('');
  };
  return (
    <ValidationProvider issues={issues}>
      <div className={styles.body} data-testid="backends-section">
        <nav className={styles.nav} aria-label="Backends">
          <Subtitle2>Backends</Subtitle2>
          {ids.length === 0 && <Caption1 className={styles.muted}>No backends yet: add the Azure OpenAI endpoints first.</Caption1>}
          {ids.map((id) => {
            const n = issuesAt(issues, formatPath(["backends", id])).errors.length;
            return (
              <Button key={id} className={styles.item} appearance={id === current ? 'primary' : 'subtle'} onClick={() => setSelected(id)} data-testid={`backend-item-${id}`}>
                <Text truncate>{id}</Text>
                <span>
                  {n > 0 && <Badge color="danger" size="small">{n}</Badge>} <Caption1>{plural(backendUses(workspace, id).length, 'use')}</Caption1>
                </span>
              </Button>
            );
          })}
          <Divider />
          <form className={styles.form} onSubmit={(e) => { e.preventDefault(); add(); }} aria-label="New backend">
            <Field label="New backend id" size="small" validationState={problem ? 'error' : 'none'} validationMessage={problem}>
              <Input value={newId} onChange={(_, d) => setNewId(d.value.trim())} data-testid="add-backend-id" />
            </Field>
            <Field label="URL" size="small">
              <Input value={newUrl} onChange={(_, d) => setNewUrl(d.value.trim())} placeholder="https://name.openai.azure.com/openai" data-testid="add-backend-url" />
            </Field>
            <Button type="submit" icon={<AddRegular />} disabled={!newId || !!problem || !newUrl} data-testid="add-backend-submit">
              Add backend
            </Button>
          </form>
        </nav>
        <div className={styles.main}>
          <ValidationSummary issues={issues} prefix="backends" showList />
          {current && <BackendEditor key={current} workspace={workspace} onEdit={onEdit} id={current} onRenamed={setSelected} {...secrets} />}
        </div>
      </div>
    </ValidationProvider>
  );
}
