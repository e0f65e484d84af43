import {
  Caption1,
  Card,
  CardHeader,
  makeStyles,
  SpinButton,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { BranchForkRegular } from '@fluentui/react-icons';
import { useMemo } from 'react';
import { useAppStore } from '../../store/store-context';
import { selectPoolsValue, toPoolRows, type PoolRow } from '../../store/workspace/selectors';
import { EmptyState } from '../empty-state';
import { ScreenLayout } from '../screen-layout';

/*
 * The frame's first view of the pools: members with priority and weight, weights editable (undoable, saved with
 * the file's comments kept). The pool editor issue replaces this with priority lanes and drag and drop.
 */
const useStyles = makeStyles({
  cards: { display: 'grid', gap: tokens.spacingVerticalL },
  card: { padding: tokens.spacingHorizontalL },
  numberCol: { width: '140px' },
  spin: { width: '96px' },
});

type MemberDraft = { services?: { weight?: number }[] };

function PoolCard({ pool }: { pool: PoolRow }) {
  const styles = useStyles();
  const edit = useAppStore((s) => s.editWorkspace);
  const setWeight = (index: number, weight: number) =>
    edit(
      (draft) => {
        const p = (draft.pools as Record<string, MemberDraft>)[pool.id];
        const member = p?.services?.[index];
        if (member) member.weight = weight;
      },
      { coalesceKey: `weight:${pool.id}:${index}` },
    );
  return (
    <Card className={styles.card} data-testid={`pool-${pool.id}`}>
      <CardHeader
        image={<BranchForkRegular fontSize={24} />}
        header={<Text weight="semibold">{pool.id}</Text>}
        description={<Caption1>{pool.description ?? `${pool.members.length} members`}</Caption1>}
      />
      <Table size="small" aria-label={`Members of ${pool.id}`}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Backend</TableHeaderCell>
            <TableHeaderCell className={styles.numberCol}>Priority</TableHeaderCell>
            <TableHeaderCell className={styles.numberCol}>Weight</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {pool.members.map((m, i) => (
            <TableRow key={`${m.backend}-${i}`}>
              <TableCell>{m.backend}</TableCell>
              <TableCell>{m.priority}</TableCell>
              <TableCell>
                <SpinButton
                  className={styles.spin}
                  value={m.weight}
                  min={0}
                  max={100}
                  aria-label={`Weight of ${m.backend} in ${pool.id}`}
                  data-testid={`weight-${pool.id}-${m.backend}`}
                  onChange={(_, data) => {
                    const v = data.value ?? (data.displayValue !== undefined ? Number.parseInt(data.displayValue, 10) : NaN);
                    if (Number.isInteger(v)) setWeight(i, Math.min(100, Math.max(0, v as number)));
                  }}
                />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Card>
  );
}

export function PoolsOverview() {
  const styles = useStyles();
  const poolsValue = useAppStore(selectPoolsValue);
  const pools = useMemo(() => toPoolRows(poolsValue), [poolsValue]);
  return (
    <ScreenLayout id="pools" title="Pools" lead="Each pool spreads requests over its backends: the lowest priority number first, by weight inside a priority.">
      {pools.length === 0 ? (
        <EmptyState Icon={BranchForkRegular} title="No pools in this workspace" testId="empty-pools">
          Add a pool under <code>pools:</code> in the workspace file to spread traffic over several backends.
        </EmptyState>
      ) : (
        <div className={styles.cards}>
          {pools.map((p) => (
            <PoolCard key={p.id} pool={p} />
          ))}
        </div>
      )}
    </ScreenLayout>
  );
}
