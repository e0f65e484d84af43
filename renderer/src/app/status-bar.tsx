import { Caption1, makeStyles, tokens } from '@fluentui/react-components';
import { CircleFilled } from '@fluentui/react-icons';
import { selectGateway, selectGatewayLabel } from '../store/gateway/selectors';
import { selectConnection, selectInfo } from '../store/session/selectors';
import { useAppStore } from '../store/store-context';
import { selectCounts } from '../store/workspace/selectors';

const useStyles = makeStyles({
  bar: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalL,
    padding: `0 ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground3,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    color: tokens.colorNeutralForeground2,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
  },
  item: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  spacer: { flex: 1 },
  running: { color: tokens.colorPaletteGreenForeground1 },
  stopped: { color: tokens.colorNeutralForeground4 },
  warn: { color: tokens.colorPaletteDarkOrangeForeground1 },
});

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function StatusBar() {
  const styles = useStyles();
  const gateway = useAppStore(selectGateway);
  const gatewayLabel = useAppStore(selectGatewayLabel);
  const counts = useAppStore(selectCounts);
  const connection = useAppStore(selectConnection);
  const info = useAppStore(selectInfo);
  return (
    <footer className={styles.bar} data-testid="status-bar">
      <span className={styles.item} data-testid="gateway-status" data-running={gateway.running}>
        <CircleFilled fontSize={10} className={gateway.running ? styles.running : styles.stopped} aria-hidden />
        <Caption1>{gatewayLabel}</Caption1>
      </span>
      {counts && (
        <Caption1 data-testid="workspace-counts">
          {plural(counts.backends, 'backend')} · {plural(counts.pools, 'pool')} · {plural(counts.apis, 'api')}
        </Caption1>
      )}
      <span className={styles.spacer} />
      {info?.platform === 'serve' && (
        <span className={styles.item} data-testid="connection">
          <CircleFilled fontSize={10} className={connection === 'online' ? styles.running : styles.warn} aria-hidden />
          <Caption1>{connection === 'online' ? 'Connected to serve' : connection === 'reconnecting' ? 'Reconnecting…' : 'Access token refused'}</Caption1>
        </span>
      )}
      {info && <Caption1>{`${info.name} ${info.version}`}</Caption1>}
    </footer>
  );
}
