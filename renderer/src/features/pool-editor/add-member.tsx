import { Button, Field, makeStyles, Select, tokens } from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { lanesOf } from '../../../../shared/edit/lanes';
import { addMember, MAX_POOL_MEMBERS } from '../../../../shared/edit/pools';
import { orUnchanged } from '../../../../shared/edit/result';
import type { Workspace } from '../../../../shared/model/schema';
import type { EditFn } from '../validation';

const useStyles = makeStyles({ row: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' } });

/** Picks a backend that is not yet a member and a lane for it. */
export function AddMember({ workspace, poolId, onEdit, announce }: { workspace: Workspace; poolId: string; onEdit: EditFn; announce(m: string): void }) {
  const styles = useStyles();
  const pool = workspace.pools?.[poolId];
  const taken = new Set(pool?.services.map((m) => m.backend));
  const candidates = Object.keys(workspace.backends ?? {}).filter((b) => !taken.has(b));
  const lanes = lanesOf(pool).map((l) => l.priority);
  const [backend, setBackend] = useState('');
  const [lane, setLane] = useState('');
  const chosen = candidates.includes(backend) ? backend : (candidates[0] ?? '');
  const priority = lane === '' ? undefined : Number(lane);
  const full = (pool?.services.length ?? 0) >= MAX_POOL_MEMBERS;

  const add = () => {
    const r = addMember(workspace, poolId, chosen, { priority });
    if (!r.ok) return announce(r.message);
    onEdit((ws) => orUnchanged(ws, addMember(ws, poolId, chosen, { priority })));
    announce(`${chosen} added to ${poolId}`);
  };

  if (candidates.length === 0) return null;
  return (
    <div className={styles.row}>
      <Field label="Add backend" size="small">
        <Select value={chosen} onChange={(_, d) => setBackend(d.value)} data-testid="add-member-select">
          {candidates.map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="to lane" size="small">
        <Select value={lane} onChange={(_, d) => setLane(d.value)} data-testid="add-member-lane">
          <option value="">{lanes.length ? `priority ${lanes[0]} (highest)` : 'priority 1'}</option>
          {lanes.slice(1).map((p) => (
            <option key={p} value={String(p)}>
              priority {p}
            </option>
          ))}
          <option value={String((lanes.at(-1) ?? 0) + 1)}>new lane (priority {(lanes.at(-1) ?? 0) + 1})</option>
        </Select>
      </Field>
      <Button icon={<AddRegular />} onClick={add} disabled={!chosen || full} data-testid="add-member-button">
        Add member
      </Button>
    </div>
  );
}
