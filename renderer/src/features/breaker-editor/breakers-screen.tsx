import { Badge, Button, Caption1, makeStyles, Subtitle2, Text, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { formatPath } from '../../../../shared/model/paths';
import { breakerSummary } from '../pool-editor/breaker-summary';
import { issuesAt, ValidationProvider, ValidationSummary, type ScreenProps } from '../validation';
import { RuleEditor } from './rule-editor';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, padding: tokens.spacingHorizontalL, minWidth: 0 },
  head: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalM },
  body: { display: 'flex', gap: tokens.spacingHorizontalL, alignItems: 'flex-start' },
  nav: { flex: '0 0 240px', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  item: { flexDirection: 'column', alignItems: 'flex-start' },
  main: { flex: '1 1 auto', minWidth: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** The Breakers screen: every backend with its circuit breaker rule, edited one at a time. */
export function BreakersScreen({ workspace, onEdit, issues }: ScreenProps) {
  const styles = useStyles();
  const ids = Object.keys(workspace.backends ?? {});
  const [selected, setSelected] = useState<string | undefined>(ids[0]);
  const current = selected && ids.includes(selected) ? selected : ids[0];
  return (
    <ValidationProvider issues={issues}>
      <div className={styles.root} data-testid="breakers-screen">
        <div className={styles.head}>
          <Caption1 className={styles.muted}>One rule per backend, as APIM allows; each pool member trips on its own.</Caption1>
          <ValidationSummary issues={issues} />
        </div>
        {ids.length === 0 ? (
          <Text className={styles.muted}>No backends yet: add them on the Pools screen, then give each a breaker here.</Text>
        ) : (
          <div className={styles.body}>
            <nav className={styles.nav} aria-label="Backends">
              <Subtitle2>Backends</Subtitle2>
              {ids.map((id) => {
                const found = issuesAt(issues, formatPath(['backends', id, 'circuitBreaker']));
                return (
                  <Button key={id} className={styles.item} appearance={id === current ? 'primary' : 'subtle'} onClick={() => setSelected(id)} data-testid={`breaker-item-${id}`}>
                    <Text weight="semibold" truncate>
                      {id}{' '}
                      {found.errors.length > 0 && <Badge size="small" color="danger">{found.errors.length}</Badge>}
                      {found.warnings.length > 0 && <Badge size="small" color="warning">{found.warnings.length}</Badge>}
                    </Text>
                    <Caption1>{breakerSummary(workspace.backends[id])}</Caption1>
                  </Button>
                );
              })}
            </nav>
            <div className={styles.main}>{current && <RuleEditor key={current} workspace={workspace} backendId={current} onEdit={onEdit} />}</div>
          </div>
        )}
      </div>
    </ValidationProvider>
  );
}
