import { Button, Caption1, Card, Field, Input, makeStyles, Select, Subtitle2, Text, tokens } from '@fluentui/react-components';
import { AddRegular, DeleteRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { addApi, removeApi, setApiBackend, setApiPath } from '../../../../shared/edit/apis';
import { orUnchanged } from '../../../../shared/edit/result';
import { formatPath } from '../../../../shared/model/paths';
import type { Workspace } from '../../../../shared/model/schema';
import { fieldDomId, useFieldValidation, ValidationProvider, ValidationSummary, type ScreenProps, type EditFn } from '../validation';
import { TokenLimitFields, TokenMetricFields } from '../token-limits';
import { RetryFields } from './retry-fields';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '960px' },
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** Pools first (what APIs usually point at), then single backends. */
function BackendOptions({ workspace }: { workspace: Workspace }) {
  return (
    <>
      {Object.keys(workspace.pools ?? {}).map((id) => (
        <option key={`p-${id}`} value={id}>
          {id} (pool of {workspace.pools![id]!.services?.length ?? 0})
        </option>
      ))}
      {Object.keys(workspace.backends ?? {}).map((id) => (
        <option key={`b-${id}`} value={id}>
          {id} (single backend)
        </option>
      ))}
    </>
  );
}

function ApiCard({ workspace, apiId, onEdit }: { workspace: Workspace; apiId: string; onEdit: EditFn }) {
  const styles = useStyles();
  const api = workspace.apis![apiId]!;
  const pathPath = formatPath(['apis', apiId, 'path']);
  const backendPath = formatPath(['apis', apiId, 'backend']);
  const pathValidation = useFieldValidation(pathPath);
  const backendValidation = useFieldValidation(backendPath);
  const known = api.backend in (workspace.pools ?? {}) || api.backend in (workspace.backends ?? {});
  return (
    <Card className={styles.card} data-testid={`api-card-${apiId}`}>
      <div className={styles.row}>
        <Subtitle2>{apiId}</Subtitle2>
        <Text className={styles.muted}>
          serves /{api.path} from {api.backend}
        </Text>
        <Button size="small" appearance="subtle" icon={<DeleteRegular />} onClick={() => onEdit((ws) => removeApi(ws, apiId))} aria-label={`Remove api ${apiId}`} data-testid={`remove-api-${apiId}`} />
      </div>
      <div className={styles.row}>
        <Field label="Path" size="small" {...pathValidation}>
          <Input id={fieldDomId(pathPath)} contentBefore="/" value={api.path ?? ''} onChange={(_, d) => onEdit((ws) => setApiPath(ws, apiId, d.value), { coalesceKey: `api:${apiId}:path` })} data-testid={`api-path-${apiId}`} />
        </Field>
        <Field label="Served by" size="small" {...backendValidation}>
          <Select id={fieldDomId(backendPath)} value={api.backend} onChange={(_, d) => onEdit((ws) => setApiBackend(ws, apiId, d.value))} data-testid={`api-backend-${apiId}`}>
            {!known && <option value={api.backend}>{api.backend} (missing)</option>}
            <BackendOptions workspace={workspace} />
          </Select>
        </Field>
      </div>
      <RetryFields workspace={workspace} apiId={apiId} onEdit={onEdit} />
      <TokenLimitFields workspace={workspace} apiId={apiId} onEdit={onEdit} />
      <TokenMetricFields workspace={workspace} apiId={apiId} onEdit={onEdit} />
    </Card>
  );
}

/** APIs: which pool or backend serves which path, and their retry. */
export function ApisSection({ workspace, onEdit, issues }: ScreenProps) {
  const styles = useStyles();
  const ids = Object.keys(workspace.apis ?? {});
  const targets = [...Object.keys(workspace.pools ?? {}), ...Object.keys(workspace.backends ?? {})];
  const [newId, setNewId] = useState('');
  const [newPath, setNewPath] = useState('');
  const [error, setError] = useState<string>();
  const add = () => {
    const api = { path: newPath || newId, backend: targets[0] ?? '' };
    const r = addApi(workspace, newId, api);
    if (!r.ok) return setError(r.message);
    setError(undefined);
    onEdit((ws) => orUnchanged(ws, addApi(ws, newId, api)));
    setNewId('');
    setNewPath('');
  };
  return (
    <ValidationProvider issues={issues}>
      <div className={styles.root} data-testid="apis-section">
        <ValidationSummary issues={issues} prefix="apis" showList />
        {ids.length === 0 && <Caption1 className={styles.muted}>No APIs yet: an API maps a path (e.g. openai) to a pool.</Caption1>}
        {ids.map((id) => (
          <ApiCard key={id} workspace={workspace} apiId={id} onEdit={onEdit} />
        ))}
        <form className={styles.row} onSubmit={(e) => { e.preventDefault(); add(); }} aria-label="New api">
          <Field label="New api id" size="small" validationState={error ? 'error' : 'none'} validationMessage={error}>
            <Input value={newId} onChange={(_, d) => setNewId(d.value.trim())} data-testid="add-api-id" />
          </Field>
          <Field label="Path" size="small">
            <Input value={newPath} onChange={(_, d) => setNewPath(d.value.trim())} placeholder="openai" data-testid="add-api-path" />
          </Field>
          <Button type="submit" icon={<AddRegular />} disabled={!newId || targets.length === 0} data-testid="add-api-submit">
            Add api
          </Button>
        </form>
      </div>
    </ValidationProvider>
  );
}
