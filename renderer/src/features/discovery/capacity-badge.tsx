import { Badge, makeStyles } from '@fluentui/react-components';

// Long SKU names (GlobalProvisionedManaged) wrap inside the badge instead of running over its outline.
const useStyles = makeStyles({ badge: { height: 'auto', minHeight: '16px', whiteSpace: 'normal', textAlign: 'left' } });
import type { Backend } from '../../../../shared/model/schema';

const compact = (n: number) => (n >= 1_000_000 ? `${Math.round(n / 100_000) / 10}M` : n >= 1000 ? `${Math.round(n / 100) / 10}k` : String(n));

/** A member's recorded capacity, shown beside its weight in the pool editor (issue 17). Nothing without one. */
export function CapacityBadge({ id, backend }: { id: string; backend: Backend | undefined }) {
  const styles = useStyles();
  const c = backend?.capacity;
  if (!c) return null;
  const parts = [c.sku, c.tokensPerMinute !== undefined ? `${compact(c.tokensPerMinute)} TPM` : undefined, c.ptu !== undefined ? `${c.ptu} PTU` : undefined].filter(Boolean);
  return (
    <Badge className={styles.badge} appearance="outline" color="informative" size="small" data-testid={`capacity-${id}`} title="Capacity recorded by discovery: planning only, never deployed">
      {parts.join(' · ')}
    </Badge>
  );
}
