import { Button, Checkbox, Field, Input, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { checkNewId } from '../../../../shared/edit/backends';
import { addPool } from '../../../../shared/edit/pools';
import { orUnchanged } from '../../../../shared/edit/result';
import type { Workspace } from '../../../../shared/model/schema';
import type { EditFn } from '../validation';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  list: { display: 'flex', flexDirection: 'column', maxHeight: '180px', overflowY: 'auto' },
});

/** New pool from a few backends (one lane, weight 1 each); the new pool is then selected. */
export function AddPoolForm({ workspace, onEdit, onCreated }: { workspace: Workspace; onEdit: EditFn; onCreated(id: string): void }) {
  const styles = useStyles();
  const [id, setId] = useState('');
  const [members, setMembers] = useState<string[]>([]);
  const problem = id ? checkNewId(workspace, id) : undefined;
  const backends = Object.keys(workspace.backends ?? {});
  const create = () => {
    const r = addPool(workspace, id, members);
    if (!r.ok) return;
    onEdit((ws) => orUnchanged(ws, addPool(ws, id, members)));
    onCreated(id);
    setId('');
    setMembers([]);
  };
  return (
    <form className={styles.form} onSubmit={(e) => { e.preventDefault(); create(); }} aria-label="New pool">
      <Field label="New pool id" size="small" validationState={problem ? 'error' : 'none'} validationMessage={problem}>
        <Input value={id} onChange={(_, d) => setId(d.value.trim())} data-testid="add-pool-id" placeholder="e.g. openai-pool" />
      </Field>
      <div className={styles.list} role="group" aria-label="Members of the new pool">
        {backends.map((b) => (
          <Checkbox
            key={b}
            label={b}
            checked={members.includes(b)}
            onChange={(_, d) => setMembers((prev) => (d.checked ? [...prev, b] : prev.filter((m) => m !== b)))}
            data-testid={`add-pool-member-${b}`}
          />
        ))}
      </div>
      <Button type="submit" appearance="primary" disabled={!id || !!problem || members.length === 0} data-testid="add-pool-submit">
        Create pool
      </Button>
    </form>
  );
}
