import { Caption1, Card, CardHeader, makeStyles, Subtitle2, tokens } from '@fluentui/react-components';
import { useEffect, useMemo } from 'react';
import { validateWorkspace } from '../../../../shared/model/validate';
import { useAppStore } from '../../store/store-context';
import { selectErrors, selectWarnings } from '../../store/workspace/selectors';
import { ExportButton, ExportPanel } from '../export-panel';
import { ScreenLayout } from '../screen-layout';
import { AccountCard } from './account-card';
import { AzureErrorBar } from './azure-error-bar';
import { ImportCard } from './import-card';
import { PlanCard } from './plan-card';
import { TargetCard } from './target-card';

/*
 * The Deploy screen (issue 9): account and endpoint, target, import, plan and apply; after an apply, the Bicep of
 * the same workspace for the user's repository (the shared export panel).
 */
const useStyles = makeStyles({
  top: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(360px, 1fr))', gap: tokens.spacingHorizontalL, alignItems: 'start' },
  card: { padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  muted: { color: tokens.colorNeutralForeground3 },
});

function ExportCard() {
  const styles = useStyles();
  const value = useAppStore((s) => s.workspace.value);
  const errors = useAppStore(selectErrors);
  const warnings = useAppStore(selectWarnings);
  const checked = useMemo(() => validateWorkspace(value ?? {}), [value]);
  if (!checked.ok) return null;
  return (
    <Card className={styles.card} data-testid="deploy-export">
      <CardHeader
        header={<Subtitle2>For your repository</Subtitle2>}
        description={<Caption1 className={styles.muted}>The same backends and pools as Bicep or an ARM template, to keep the deployment in code.</Caption1>}
      />
      <ExportPanel workspace={checked.workspace} issues={{ errors, warnings }} />
    </Card>
  );
}

export function DeployScreen() {
  const styles = useStyles();
  const initDeploy = useAppStore((s) => s.initDeploy);
  const error = useAppStore((s) => s.deploy.error);
  const dismiss = useAppStore((s) => s.dismissDeployError);
  const applied = useAppStore((s) => s.deploy.report?.ok === true);
  useEffect(() => void initDeploy(), [initDeploy]);
  return (
    <ScreenLayout id="deploy" title="Deploy" actions={<ExportButton />} lead="Sign in, pick the API Management service, review the plan, apply.">
      {error && <AzureErrorBar error={error} onDismiss={dismiss} />}
      <div className={styles.top}>
        <AccountCard />
        <TargetCard />
      </div>
      <ImportCard />
      <PlanCard />
      {applied && <ExportCard />}
    </ScreenLayout>
  );
}
