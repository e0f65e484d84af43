import { Caption1, Card, CardHeader, makeStyles, Subtitle2, tokens } from '@fluentui/react-components';
import { useAppStore } from '../../store/store-context';
import { SearchablePicker } from './searchable-picker';

/*
 * Subscription → resource group → API Management service. The pick is written to the workspace's `target:`, so
 * the workspace remembers where it deploys (and the CLI's plan/apply use the same target).
 */
const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  muted: { color: tokens.colorNeutralForeground3 },
});

export function TargetCard() {
  const styles = useStyles();
  const d = useAppStore((s) => s.deploy);
  const chooseSubscription = useAppStore((s) => s.chooseSubscription);
  const chooseResourceGroup = useAppStore((s) => s.chooseResourceGroup);
  const chooseService = useAppStore((s) => s.chooseService);
  const signedIn = Boolean(d.account?.signedIn);
  const { subscription, resourceGroup, service } = d.pick;
  return (
    <Card className={styles.card} data-testid="deploy-target">
      <CardHeader header={<Subtitle2>Target service</Subtitle2>} />
      <SearchablePicker
        label="Subscription"
        testId="pick-subscription"
        items={signedIn ? (d.subscriptions?.map((s) => ({ value: s.id, label: s.name, detail: s.id })) ?? null) : []}
        value={subscription}
        onChange={(v) => void chooseSubscription(v)}
        disabled={!signedIn}
        hint={signedIn ? undefined : 'Sign in to list subscriptions.'}
      />
      <SearchablePicker
        label="Resource group"
        testId="pick-resource-group"
        items={subscription ? (d.resourceGroups?.map((g) => ({ value: g, label: g })) ?? null) : []}
        value={resourceGroup}
        onChange={(v) => void chooseResourceGroup(v)}
        disabled={!signedIn || !subscription}
        hint={subscription ? undefined : 'Pick a subscription first.'}
      />
      <SearchablePicker
        label="API Management service"
        testId="pick-service"
        items={resourceGroup ? (d.services?.map((s) => ({ value: s.name, label: s.name, detail: [s.location, s.sku].filter(Boolean).join(', ') })) ?? null) : []}
        value={service}
        onChange={(v) => chooseService(v)}
        disabled={!signedIn || !resourceGroup}
        hint={resourceGroup ? undefined : 'Pick a resource group first.'}
      />
      <Caption1 className={styles.muted} data-testid="deploy-target-note">
        {subscription && resourceGroup && service ? `Remembered in this workspace as target: ${service} (resource group ${resourceGroup}).` : 'The pick is remembered in the workspace (target:).'}
      </Caption1>
    </Card>
  );
}
