import { makeStyles, Tab, TabList, tokens } from '@fluentui/react-components';
import { SCREENS, type ScreenId } from '../store/nav/slice';
import { selectScreen } from '../store/nav/selectors';
import { useAppStore } from '../store/store-context';
import { SCREEN_META } from './screens';

const useStyles = makeStyles({
  nav: {
    backgroundColor: tokens.colorNeutralBackground1,
    borderRight: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalS}`,
    overflowY: 'auto',
  },
  list: { gap: tokens.spacingVerticalXXS },
  tab: { justifyContent: 'flex-start', width: '100%' },
  // Narrow windows and 200 % zoom: icons only; the name stays the tab's accessible name (aria-label).
  label: { '@media (max-width: 760px)': { display: 'none' } },
});

/** The five screens, as a vertical tab list: arrow keys move between them, Enter/Space opens one. */
export function NavRail() {
  const styles = useStyles();
  const screen = useAppStore(selectScreen);
  const setScreen = useAppStore((s) => s.setScreen);
  return (
    <nav className={styles.nav} aria-label="Screens">
      <TabList vertical size="large" selectedValue={screen} onTabSelect={(_, d) => setScreen(d.value as ScreenId)} className={styles.list}>
        {SCREENS.map((id) => {
          const { label, Icon } = SCREEN_META[id];
          return (
            <Tab key={id} value={id} icon={<Icon />} aria-label={label} aria-current={id === screen ? 'page' : undefined} data-testid={`nav-${id}`} className={styles.tab}>
              <span className={styles.label}>{label}</span>
            </Tab>
          );
        })}
      </TabList>
    </nav>
  );
}
