import { Body1, FluentProvider, makeStyles, Spinner, Subtitle1, tokens, webDarkTheme, webLightTheme } from '@fluentui/react-components';
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { selectPhase } from '../store/session/selectors';
import { StoreProvider, useAppStore } from '../store/store-context';
import type { AppStore } from '../store/types';
import { AppFrame } from './app-frame';
import { useOsDark } from './use-os-theme';
import { useShortcuts } from './use-shortcuts';

const useStyles = makeStyles({
  center: { height: '100%', display: 'flex', flexDirection: 'column', alignItems: 'center', justifyContent: 'center', gap: tokens.spacingVerticalM, padding: tokens.spacingHorizontalXXL, textAlign: 'center' },
});

function Boot({ keyboardShortcuts }: { keyboardShortcuts: boolean }) {
  const styles = useStyles();
  const phase = useAppStore(selectPhase);
  const bootError = useAppStore((s) => s.bootError);
  const boot = useAppStore((s) => s.boot);
  const runCommand = useAppStore((s) => s.runCommand);
  useEffect(() => void boot(), [boot]);
  useShortcuts(keyboardShortcuts && phase === 'ready', runCommand);
  if (phase === 'ready') return <AppFrame />;
  if (phase === 'failed') {
    return (
      <div className={styles.center} role="alert">
        <Subtitle1>Breakerboard could not start</Subtitle1>
        <Body1>{bootError}</Body1>
      </div>
    );
  }
  return (
    <div className={styles.center}>
      <Spinner label="Opening the workspace…" />
    </div>
  );
}

/** The root: theme from the OS, the store, and `data-app-state` for tests (booting → ready | failed). */
export function App({ store, keyboardShortcuts }: { store: AppStore; keyboardShortcuts: boolean }) {
  const dark = useOsDark();
  const phase = useAppStoreOutside(store);
  return (
    <FluentProvider theme={dark ? webDarkTheme : webLightTheme} data-app-state={phase} data-theme={dark ? 'dark' : 'light'}>
      <StoreProvider store={store}>
        <Boot keyboardShortcuts={keyboardShortcuts} />
      </StoreProvider>
    </FluentProvider>
  );
}

/** The one value the root reads before the provider exists. */
function useAppStoreOutside(store: AppStore) {
  return useStore(store, selectPhase);
}

/** Shown when there is no way to reach the main side at all (e.g. the URL lost its token). */
export function FatalScreen({ message }: { message: string }) {
  const styles = useStyles();
  const dark = useOsDark();
  return (
    <FluentProvider theme={dark ? webDarkTheme : webLightTheme} data-app-state="failed">
      <div className={styles.center} role="alert">
        <Subtitle1>Breakerboard cannot reach its server</Subtitle1>
        <Body1>{message}</Body1>
      </div>
    </FluentProvider>
  );
}
