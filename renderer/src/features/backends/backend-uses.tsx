import { Button, Caption1, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, tokens } from '@fluentui/react-components';
import { DeleteRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { backendUses, removeBackend } from '../../../../shared/edit/backends';
import { orUnchanged } from '../../../../shared/edit/result';
import type { Workspace } from '../../../../shared/model/schema';
import type { EditFn } from '../validation';

const useStyles = makeStyles({ root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, alignItems: 'flex-start' } });

/** What uses the backend, shown before any removal; removal is refused while an api points at it. */
export function BackendUses({ workspace, id, onEdit }: { workspace: Workspace; id: string; onEdit: EditFn }) {
  const styles = useStyles();
  const [confirm, setConfirm] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const uses = backendUses(workspace, id);
  const pools = uses.filter((u) => u.kind === 'pool');
  const apis = uses.filter((u) => u.kind === 'api');
  const remove = (fromPools: boolean) => {
    const r = removeBackend(workspace, id, { fromPools });
    if (!r.ok) return setRefusal(r.message);
    onEdit((ws) => orUnchanged(ws, removeBackend(ws, id, { fromPools })));
  };
  return (
    <div className={styles.root} data-testid={`backend-uses-${id}`}>
      <Caption1>
        {uses.length === 0 ? 'Not used by any pool or api.' : `Used by ${uses.map((u) => `${u.kind} ${u.id}`).join(', ')}.`}
      </Caption1>
      {!confirm ? (
        <Button icon={<DeleteRegular />} onClick={() => (uses.length === 0 ? remove(false) : setConfirm(true))} data-testid={`remove-backend-${id}`}>
          Remove backend
        </Button>
      ) : (
        <MessageBar intent={apis.length ? 'error' : 'warning'} data-testid="remove-backend-confirm">
          <MessageBarBody>
            <MessageBarTitle>{apis.length ? 'Cannot remove yet' : `Also remove it from ${pools.length} pool${pools.length === 1 ? '' : 's'}?`}</MessageBarTitle>
            {apis.length
              ? `api ${apis.map((a) => a.id).join(', ')} points straight at "${id}": point it at another backend or pool first.`
              : `"${id}" is a member of ${pools.map((p) => p.id).join(', ')}.`}
            {!apis.length && (
              <Button size="small" appearance="primary" onClick={() => remove(true)} data-testid="remove-backend-from-pools">
                Remove from pools and delete
              </Button>
            )}
            <Button size="small" appearance="subtle" onClick={() => setConfirm(false)}>
              Cancel
            </Button>
          </MessageBarBody>
        </MessageBar>
      )}
      {refusal && <Caption1 role="alert">{refusal}</Caption1>}
    </div>
  );
}
