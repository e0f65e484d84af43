import { makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import { LiveAnnouncer } from '../features/monitor';
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
  body: {
    display: 'grid',
    gridTemplateColumns: '208px minmax(0, 1fr)',
    minHeight: 0,
    // Narrow windows and 200 % zoom (WCAG 1.4.10): the navigation shrinks to its icons.
    '@media (max-width: 760px)': { gridTemplateColumns: '64px minmax(0, 1fr)' },
  },
  main: {
    overflow: 'auto',
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalXXXL}`,
    '@media (max-width: 760px)': { padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalM}` },
    backgroundColor: tokens.colorNeutralBackground2,
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  },
});

/** Header, navigation, the open screen, status bar: the frame every screen plugs into. */
export function AppFrame() {
  const styles = useStyles();
  const screen = useAppStore(selectScreen);
  const { Component } = SCREEN_META[screen];
  const main = useRef<HTMLElement>(null);
  // Each screen opens at its top, not where the last one was scrolled to.
  useEffect(() => {
    if (main.current) main.current.scrollTop = 0;
  }, [screen]);
  return (
    <div className={styles.frame}>
      <AppHeader />
      <div className={styles.body}>
        <NavRail />
        <main ref={main} className={styles.main} tabIndex={-1} id="content">
          <Notices />
          <Component />
        </main>
      </div>
      <StatusBar />
      <PathPrompt />
      <LiveAnnouncer />
    </div>
  );
}
