import { makeStyles, tokens } from '@fluentui/react-components';
import { selectScreen } from '../store/nav/selectors';
import { useAppStore } from '../store/store-context';
import { AppHeader } from './app-header';
import { NavRail } from './nav-rail';
import { Notices } from './notices';
import { PathPrompt } from './path-prompt';
import { SCREEN_META } from './screens';
import { StatusBar } from './status-bar';

const useStyles = makeStyles({
  frame: { display: 'grid', gridTemplateRows: '48px minmax(0, 1fr) 28px', height: '100%' },
  body: { display: 'grid', gridTemplateColumns: '208px minmax(0, 1fr)', minHeight: 0 },
  main: {
    overflow: 'auto',
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalXXXL}`,
    backgroundColor: tokens.colorNeutralBackground2,
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  },
});

/** Header, navigation, the open screen, status bar: the frame every screen plugs into. */
export function AppFrame() {
  const styles = useStyles();
  const screen = useAppStore(selectScreen);
  const { Component } = SCREEN_META[screen];
  return (
    <div className={styles.frame}>
      <AppHeader />
      <div className={styles.body}>
        <NavRail />
        <main className={styles.main} tabIndex={-1} id="content">
          <Notices />
          <Component />
        </main>
      </div>
      <StatusBar />
      <PathPrompt />
    </div>
  );
}
