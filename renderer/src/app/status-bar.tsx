import { Caption1, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { CircleFilled } from '@fluentui/react-icons';
import { selectGateway, selectGatewayLabel } from '../store/gateway/selectors';
import { selectConnection, selectInfo } from '../store/session/selectors';
import { useAppStore } from '../store/store-context';
import { selectCounts } from '../store/workspace/selectors';

/*
 * One line at any width (WCAG 1.4.10, 200 % zoom): nothing wraps; texts give way from the least needed up (the
 * version first, then the counts and the connection, the gateway's address last), each ending in an ellipsis with
 * its whole text in a tooltip; the version gives up its place entirely when the navigation collapses to icons.
 */
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
    minWidth: 0,
    '@media (max-width: 760px)': { gap: tokens.spacingHorizontalM, padding: `0 ${tokens.spacingHorizontalS}` },
  },
  item: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS, minWidth: 0 },
  text: { minWidth: 0 },
  icon: { flexShrink: 0 },
  // The gateway and its address keep their place (cut only when the bar itself is narrower); the others give way,
  // the larger the number the sooner.
  gateway: { flexShrink: 0, maxWidth: '100%' },
  counts: { flexShrink: 4 },
  connection: { flexShrink: 1 },
  version: { flexShrink: 16, '@media (max-width: 760px)': { display: 'none' } },
  spacer: { flex: 1, minWidth: 0 },
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
  const countsText = counts && `${plural(counts.backends, 'backend')} · ${plural(counts.pools, 'pool')} · ${plural(counts.apis, 'api')}`;
  const connectionText = connection === 'online' ? 'Connected to serve' : connection === 'reconnecting' ? 'Reconnecting…' : 'Access token refused';
  const versionText = info && `${info.name} ${info.version}`;
  /** A text that ends in an ellipsis when its place is short; the whole of it on hover. */
  const text = (t: string) => (
    <Caption1 className={styles.text} truncate wrap={false} title={t}>
      {t}
    </Caption1>
  );
  return (
    <footer className={styles.bar} data-testid="status-bar">
      <span className={mergeClasses(styles.item, styles.gateway)} data-testid="gateway-status" data-running={gateway.running}>
        <CircleFilled fontSize={10} className={mergeClasses(styles.icon, gateway.running ? styles.running : styles.stopped)} aria-hidden />
        {text(gatewayLabel)}
      </span>
      {countsText && (
        <span className={mergeClasses(styles.item, styles.counts)} data-testid="workspace-counts">
          {text(countsText)}
        </span>
      )}
      <span className={styles.spacer} />
      {info?.platform === 'serve' && (
        <span className={mergeClasses(styles.item, styles.connection)} data-testid="connection">
          <CircleFilled fontSize={10} className={mergeClasses(styles.icon, connection === 'online' ? styles.running : styles.warn)} aria-hidden />
          {text(connectionText)}
        </span>
      )}
      {versionText && (
        <span className={mergeClasses(styles.item, styles.version)} data-testid="app-version">
          {text(versionText)}
        </span>
      )}
    </footer>
  );
}
