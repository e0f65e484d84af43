import { Button, Caption1, Divider, makeStyles, Subtitle2, Tab, TabList, Text, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { ApisSection } from '../apis';
import { BackendsSection, type SecretCallbacks } from '../backends';
import { ValidationProvider, ValidationSummary, type ScreenProps } from '../validation';
import { AddPoolForm } from './add-pool-form';
import { PoolEditor } from './pool-editor';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, padding: tokens.spacingHorizontalL, minWidth: 0 },
  head: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  // Wraps at narrow widths (200 % zoom): the pool list goes above the editor instead of squeezing it.
  body: { display: 'flex', gap: tokens.spacingHorizontalL, alignItems: 'flex-start', flexWrap: 'wrap' },
  nav: { flex: '0 0 200px', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  main: { flex: '1 1 360px', minWidth: 0 },
  empty: { color: tokens.colorNeutralForeground3 },
});

type Section = 'pools' | 'backends' | 'apis';

/**
 * The Pools screen: pools as priority lanes with the share preview, plus the backends and APIs they are built
 * from (tabs), all editing the one workspace through `onEdit`.
 */
export function PoolsScreen(props: ScreenProps & SecretCallbacks & { initialSection?: Section }) {
  const { workspace, onEdit, issues } = props;
  const styles = useStyles();
  const [section, setSection] = useState<Section>(props.initialSection ?? 'pools');
  const poolIds = Object.keys(workspace.pools ?? {});
  const [selected, setSelected] = useState<string | undefined>(poolIds[0]);
  const current = selected && poolIds.includes(selected) ? selected : poolIds[0];

  return (
    <ValidationProvider issues={issues}>
      <div className={styles.root} data-testid="pools-screen">
        <div className={styles.head}>
          <TabList selectedValue={section} onTabSelect={(_, d) => setSection(d.value as Section)}>
            <Tab value="pools" data-testid="section-pools">Pools</Tab>
            <Tab value="backends" data-testid="section-backends">Backends</Tab>
            <Tab value="apis" data-testid="section-apis">APIs</Tab>
          </TabList>
          <ValidationSummary issues={issues} />
        </div>
        {section === 'backends' && <BackendsSection {...props} />}
        {section === 'apis' && <ApisSection workspace={workspace} onEdit={onEdit} issues={issues} />}
        {section === 'pools' && (
          <div className={styles.body}>
            <nav className={styles.nav} aria-label="Pools">
              <Subtitle2>Pools</Subtitle2>
              {poolIds.length === 0 && <Caption1 className={styles.empty}>No pools yet. A pool spreads one API over several backends.</Caption1>}
              {poolIds.map((id) => (
                <Button key={id} appearance={id === current ? 'primary' : 'subtle'} onClick={() => setSelected(id)} data-testid={`pool-item-${id}`} aria-current={id === current ? 'page' : undefined}>
                  <Text truncate>{id}</Text>
                </Button>
              ))}
              <Divider />
              <AddPoolForm workspace={workspace} onEdit={onEdit} onCreated={setSelected} />
            </nav>
            <div className={styles.main}>
              {current ? <PoolEditor key={current} workspace={workspace} onEdit={onEdit} issues={issues} poolId={current} /> : <Text className={styles.empty}>Create a pool on the left to draw its lanes.</Text>}
            </div>
          </div>
        )}
      </div>
    </ValidationProvider>
  );
}
