import { Caption1, Field, Input, makeStyles, tokens } from '@fluentui/react-components';
import type { Workspace } from '../../../../shared/model/schema';
import { useAppStore } from '../../store/store-context';
import { selectWorkspaceValue } from '../../store/workspace/selectors';
import type { WorkspaceValue } from '../../store/workspace/slice';

const useStyles = makeStyles({
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', flexWrap: 'wrap' },
  field: { width: '220px' },
  muted: { color: tokens.colorNeutralForeground3 },
});

/**
 * Provisioned deployments report PTUs, not tokens per minute (the rate depends on model and prompt mix), so the
 * planner asks: the user enters the rate they measured or took from Azure's capacity calculator, kept as
 * `capacity.tokensPerMinute` (planning only, never deployed).
 */
export function BudgetFields() {
  const styles = useStyles();
  const value = useAppStore(selectWorkspaceValue) as Workspace | null;
  const edit = useAppStore((s) => s.editWorkspace);
  const missing = Object.entries(value?.backends ?? {}).filter(([id, b]) => b.capacity && b.capacity.tokensPerMinute === undefined && !value?.simulation?.[id]?.tokensPerMinute);
  if (missing.length === 0) return null;
  const set = (id: string, text: string) => {
    const n = Number(text);
    edit(
      (draft) => {
        const ws = draft as unknown as Workspace;
        const b = ws.backends[id];
        if (!b?.capacity) return draft;
        const capacity = { ...b.capacity };
        if (text.trim() === '' || !Number.isInteger(n) || n <= 0) delete capacity.tokensPerMinute;
        else capacity.tokensPerMinute = n;
        return { ...ws, backends: { ...ws.backends, [id]: { ...b, capacity } } } as unknown as WorkspaceValue;
      },
      { coalesceKey: `capacity-tpm-${id}` },
    );
  };
  return (
    <div>
      <Caption1 className={styles.muted}>Tokens per minute of the provisioned deployments (Azure reports PTUs only):</Caption1>
      <div className={styles.row}>
        {missing.map(([id, b]) => (
          <Field key={id} label={`${id} (${b.capacity!.ptu ?? '?'} PTU)`} className={styles.field}>
            <Input inputMode="numeric" placeholder="unlimited" onBlur={(e) => set(id, e.target.value)} data-testid={`plan-tpm-${id}`} />
          </Field>
        ))}
      </div>
    </div>
  );
}
