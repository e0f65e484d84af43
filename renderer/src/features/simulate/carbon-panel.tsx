import { Button, Caption1, Field, makeStyles, Select, Subtitle2, tokens } from '@fluentui/react-components';
import { REGION_EMISSIONS, type RegionEmission } from '../../../../shared/model/schema';
import { regionKey } from '../../../../shared/semantics/carbon';
import { useMonitor } from '../monitor/use-monitor';

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalL, alignItems: 'flex-end' },
  pair: { display: 'flex', gap: tokens.spacingHorizontalXS, alignItems: 'flex-end' },
  muted: { color: tokens.colorNeutralForeground3 },
});

/**
 * Each region's current carbon emission on the running gateway (docs/apim-fidelity.md F-ROUTE-7, F-ROUTE-8): what APIM
 * reads from Azure, switched here to rehearse a carbon-aware pool shifting its traffic. Shown while the gateway runs
 * and a backend has an `azureRegion`.
 */
export function CarbonPanel() {
  const styles = useStyles();
  const running = useMonitor((s) => s.monitor.run.running);
  const regions = useMonitor((s) => s.monitor.config?.regions);
  const current = useMonitor((s) => s.monitor.config?.carbonEmission);
  const busy = useMonitor((s) => s.monitor.busy);
  const set = useMonitor((s) => s.setCarbonEmission);
  if (!running || !regions || regions.length === 0) return null;
  return (
    <section data-testid="carbon-panel" aria-label="Carbon emission by region" style={{ display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS }}>
      <Subtitle2 as="h2">Carbon emission by region</Subtitle2>
      <Caption1 className={styles.muted}>APIM reads these from Azure; here they decide which members of a carbon-aware pool serve (preferredCarbonEmission).</Caption1>
      <div className={styles.row}>
        {regions.map((region) => (
          <div key={region} className={styles.pair}>
            <Field label={`Carbon emission of ${region}`} size="small">
              <Select
                size="small"
                value={current?.[regionKey(region)] ?? ''}
                disabled={busy === `carbon ${region}`}
                onChange={(_, d) => void set(region, d.value === '' ? null : (d.value as RegionEmission))}
                data-testid={`carbon-${region}`}
              >
                <option value="" disabled>
                  not given
                </option>
                {REGION_EMISSIONS.map((e) => (
                  <option key={e} value={e}>
                    {e}
                  </option>
                ))}
              </Select>
            </Field>
            <Button size="small" appearance="subtle" disabledFocusable={busy === `carbon ${region}`} onClick={() => void set(region, null)} data-testid={`carbon-${region}-workspace`} aria-label={`Carbon emission of ${region}: back to the workspace's value`}>
              Workspace value
            </Button>
          </div>
        ))}
      </div>
    </section>
  );
}
