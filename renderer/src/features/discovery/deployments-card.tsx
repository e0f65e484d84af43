import { Body1, Button, Caption1, Card, CardHeader, Checkbox, makeStyles, MessageBar, MessageBarBody, Spinner, Subtitle2, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, tokens } from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import type { DiscoveredAccount } from '../../../../shared/contract/discovery';
import { addDiscoveredBackends, type DeploymentPick } from '../../../../shared/edit/discovered-backends';
import type { Workspace } from '../../../../shared/model/schema';
import { useAppStore } from '../../store/store-context';
import type { WorkspaceValue } from '../../store/workspace/slice';

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground3 },
  pick: { width: '56px' },
  // Long SKU names (GlobalProvisionedManaged) wrap instead of running into the next column.
  cell: { overflowWrap: 'anywhere' },
});

const keyOf = (a: DiscoveredAccount, deployment: string) => `${a.subscription}/${a.resourceGroup}/${a.name}/${deployment}`;

function rate(d: DiscoveredAccount['deployments'][number]): string {
  if (d.tokensPerMinute !== null) return `${d.tokensPerMinute.toLocaleString('en-US')} TPM`;
  return d.capacity !== null ? `${d.capacity} PTU` : 'unknown';
}

/** Discover → pick deployments → add them as backends, in one undoable step. */
export function DeploymentsCard() {
  const styles = useStyles();
  const signedIn = useAppStore((s) => s.deploy.account?.signedIn ?? false);
  const { result, discovering, error } = useAppStore((s) => s.discovery);
  const discover = useAppStore((s) => s.discover);
  const setScreen = useAppStore((s) => s.setScreen);
  const edit = useAppStore((s) => s.editWorkspace);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [added, setAdded] = useState<string | null>(null);
  const rows = useMemo(() => (result?.accounts ?? []).flatMap((a) => a.deployments.map((d) => ({ account: a, deployment: d, key: keyOf(a, d.name) }))), [result]);

  const toggle = (key: string, on: boolean) => {
    const next = new Set(picked);
    if (on) next.add(key);
    else next.delete(key);
    setPicked(next);
  };
  const addPicked = () => {
    const picks: DeploymentPick[] = rows.filter((r) => picked.has(r.key)).map(({ account, deployment }) => ({ account, deployment }));
    let summary = '';
    edit((draft) => {
      const r = addDiscoveredBackends(draft as unknown as Workspace, picks);
      summary = `added ${r.added.length} backend${r.added.length === 1 ? '' : 's'}${r.added.length ? `: ${r.added.join(', ')}` : ''}${r.skipped.length ? ` (already there: ${r.skipped.join(', ')})` : ''}`;
      return r.workspace as unknown as WorkspaceValue;
    });
    setAdded(summary);
    setPicked(new Set());
  };

  return (
    <Card className={styles.card} data-testid="discovery-deployments">
      <CardHeader header={<Subtitle2>Azure OpenAI deployments</Subtitle2>} description={<Caption1>Read with the Deploy screen&apos;s sign-in: model, SKU and capacity as Azure reports them.</Caption1>} />
      {!signedIn ? (
        <div className={styles.row}>
          <Body1>Sign in to Azure first.</Body1>
          <Button onClick={() => setScreen('deploy')}>Sign in on the Deploy screen</Button>
        </div>
      ) : (
        <div className={styles.row}>
          <Button appearance="primary" onClick={() => void discover()} disabled={discovering} data-testid="discovery-discover">
            Discover deployments
          </Button>
          {discovering && <Spinner size="tiny" label="Reading accounts…" />}
        </div>
      )}
      {error && (
        <MessageBar intent="error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      {result?.problems.map((p) => (
        <MessageBar key={p} intent="warning">
          <MessageBarBody>{p}</MessageBarBody>
        </MessageBar>
      ))}
      {result && rows.length === 0 && <Body1>No Azure OpenAI or AI Foundry deployments found.</Body1>}
      {rows.length > 0 && (
        <>
          <Table size="small" aria-label="Deployments">
            <TableHeader>
              <TableRow>
                <TableHeaderCell className={styles.pick}>Add</TableHeaderCell>
                <TableHeaderCell>Account</TableHeaderCell>
                <TableHeaderCell>Deployment</TableHeaderCell>
                <TableHeaderCell>Model</TableHeaderCell>
                <TableHeaderCell>SKU</TableHeaderCell>
                <TableHeaderCell>Capacity</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((r) => (
                <TableRow key={r.key} data-testid={`discovery-row-${r.account.name}-${r.deployment.name}`}>
                  <TableCell>
                    <Checkbox checked={picked.has(r.key)} onChange={(_, d) => toggle(r.key, d.checked === true)} aria-label={`add ${r.deployment.name} of ${r.account.name}`} />
                  </TableCell>
                  <TableCell>
                    {r.account.name} <span className={styles.muted}>({r.account.region})</span>
                  </TableCell>
                  <TableCell>{r.deployment.name}</TableCell>
                  <TableCell>
                    {r.deployment.model} {r.deployment.version}
                  </TableCell>
                  <TableCell className={styles.cell}>{r.deployment.sku}</TableCell>
                  <TableCell>{rate(r.deployment)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <div className={styles.row}>
            <Button appearance="primary" disabled={picked.size === 0} onClick={addPicked} data-testid="discovery-add">
              Add {picked.size || ''} as backends
            </Button>
            <Caption1 className={styles.muted}>URL with /openai, managed-identity auth, title with region and SKU.</Caption1>
          </div>
        </>
      )}
      {added && <Body1 data-testid="discovery-added">{added}</Body1>}
    </Card>
  );
}
