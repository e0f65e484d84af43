import { Field, Input, makeStyles, Subtitle1, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { renameBackend, updateBackend } from '../../../../shared/edit/backends';
import { orUnchanged } from '../../../../shared/edit/result';
import { formatPath } from '../../../../shared/model/paths';
import type { Backend } from '../../../../shared/model/schema';
import { fieldDomId, useFieldValidation, type ScreenProps } from '../validation';
import { AuthFields } from './auth-fields';
import { BackendUses } from './backend-uses';
import type { SecretCallbacks } from './secret-entry';

const useStyles = makeStyles({ root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '640px' } });

function TextField({ id, field, label, value, onChange, hint }: { id: string; field: keyof Backend; label: string; value: string; onChange(v: string): void; hint?: string }) {
  const path = formatPath(['backends', id, field]);
  const validation = useFieldValidation(path);
  return (
    <Field label={label} size="small" hint={hint} {...validation}>
      <Input id={fieldDomId(path)} value={value} onChange={(_, d) => onChange(d.value)} data-testid={`backend-${field}`} />
    </Field>
  );
}

/** Edits one backend: id (renames every reference on commit), url, title, description, auth; uses and removal. */
export function BackendEditor({ workspace, onEdit, id, onRenamed, ...secrets }: Omit<ScreenProps, 'issues'> & SecretCallbacks & { id: string; onRenamed(id: string): void }) {
  const styles = useStyles();
  const backend = workspace.backends?.[id];
  const [name, setName] = useState(id);
  const [renameError, setRenameError] = useState<string>();
  useEffect(() => setName(id), [id]);
  if (!backend) return null;
  // An empty optional field leaves the file rather than being written as "".
  const set = (field: keyof Backend) => (v: string) =>
    onEdit((ws) => updateBackend(ws, id, { [field]: field === 'url' || v ? v : undefined }), { coalesceKey: `backend:${id}:${field}` });
  const commitName = () => {
    if (name === id) return setRenameError(undefined);
    const r = renameBackend(workspace, id, name);
    if (!r.ok) return setRenameError(r.message);
    setRenameError(undefined);
    onEdit((ws) => orUnchanged(ws, renameBackend(ws, id, name)));
    onRenamed(name);
  };
  return (
    <section className={styles.root} data-testid={`backend-editor-${id}`} aria-label={`Backend ${id}`}>
      <Subtitle1>{id}</Subtitle1>
      <Field label="Id" size="small" hint="Renaming updates every pool and api that uses it." validationState={renameError ? 'error' : 'none'} validationMessage={renameError}>
        <Input value={name} onChange={(_, d) => setName(d.value.trim())} onBlur={commitName} onKeyDown={(e) => e.key === 'Enter' && commitName()} data-testid="backend-id" />
      </Field>
      <TextField id={id} field="url" label="URL" value={backend.url ?? ''} onChange={set('url')} hint="e.g. https://name.openai.azure.com/openai" />
      <TextField id={id} field="title" label="Title" value={backend.title ?? ''} onChange={set('title')} />
      <TextField id={id} field="description" label="Description" value={backend.description ?? ''} onChange={set('description')} />
      <AuthFields id={id} auth={backend.auth} onChange={(auth) => onEdit((ws) => updateBackend(ws, id, { auth }), { coalesceKey: `backend:${id}:auth` })} {...secrets} />
      <BackendUses workspace={workspace} id={id} onEdit={onEdit} />
    </section>
  );
}
