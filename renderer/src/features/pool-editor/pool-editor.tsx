import { Button, Caption1, Field, Input, makeStyles, Subtitle1, tokens } from '@fluentui/react-components';
import { DeleteRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { removePool, updatePool } from '../../../../shared/edit/pools';
import { orUnchanged } from '../../../../shared/edit/result';
import { formatPath } from '../../../../shared/model/paths';
import { FieldIssues, useFieldValidation, ValidationSummary, type ScreenProps } from '../validation';
import { AddMember } from './add-member';
import { PoolLanes } from './pool-lanes';
import { SharePreviewPanel } from './share-preview';
import { formatShare } from './share-math';
import { useSharePreview } from './use-share-preview';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  head: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  body: { display: 'flex', gap: tokens.spacingHorizontalL, alignItems: 'flex-start', flexWrap: 'wrap' },
  lanes: { flex: '1 1 540px', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  side: { flex: '0 1 360px', minWidth: 0 },
  status: { color: tokens.colorNeutralForeground2, minHeight: '1.2em' },
  hidden: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' },
});

/** One pool: description, lanes of member cards, add member, and the live share preview with "what if". */
export function PoolEditor({ workspace, onEdit, issues, poolId }: ScreenProps & { poolId: string }) {
  const styles = useStyles();
  const pool = workspace.pools?.[poolId];
  const { preview, tripped, setTripped, clear } = useSharePreview(pool);
  const [message, setMessage] = useState('');
  const descriptionPath = formatPath(['pools', poolId, 'description']);
  const descriptionValidation = useFieldValidation(descriptionPath);
  if (!pool) return null;

  const remove = () => {
    const r = removePool(workspace, poolId);
    if (!r.ok) return setMessage(r.message);
    onEdit((ws) => orUnchanged(ws, removePool(ws, poolId)));
  };
  const shareText = preview.kind === 'invalid' ? preview.message : preview.kind === 'none' ? preview.message : preview.rows.map((r) => `${r.backend} ${formatShare(r.share)}`).join(', ');

  return (
    <div className={styles.root} data-testid={`pool-editor-${poolId}`}>
      <div className={styles.head}>
        <Subtitle1>{poolId}</Subtitle1>
        <ValidationSummary issues={issues} prefix={formatPath(['pools', poolId])} />
        <Button icon={<DeleteRegular />} appearance="subtle" onClick={remove} data-testid={`remove-pool-${poolId}`}>
          Delete pool
        </Button>
      </div>
      <Field label="Description" size="small" {...descriptionValidation}>
        <Input value={pool.description ?? ''} onChange={(_, d) => onEdit((ws) => updatePool(ws, poolId, { description: d.value }), { coalesceKey: `pool:${poolId}:description` })} data-testid="pool-description" />
      </Field>
      <Caption1 role="status" className={styles.status} data-testid="pool-announcer">
        {message}
      </Caption1>
      <FieldIssues path={formatPath(['pools', poolId, 'services'])} />
      <FieldIssues path={formatPath(['pools', poolId])} />
      <div className={styles.body}>
        <div className={styles.lanes}>
          <PoolLanes workspace={workspace} poolId={poolId} tripped={tripped} onEdit={onEdit} announce={setMessage} />
          <AddMember workspace={workspace} poolId={poolId} onEdit={onEdit} announce={setMessage} />
        </div>
        <div className={styles.side}>
          <SharePreviewPanel preview={preview} onToggleTripped={setTripped} onClear={clear} anyTripped={tripped.size > 0} />
        </div>
      </div>
      <div aria-live="polite" className={styles.hidden} data-testid="share-announcer">
        {shareText}
      </div>
    </div>
  );
}
