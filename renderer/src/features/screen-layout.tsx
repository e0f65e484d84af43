import { Body1, makeStyles, Title2, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  screen: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '1100px' },
  head: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  titleRow: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  spacer: { flex: 1 },
  title: { margin: 0 },
  lead: { color: tokens.colorNeutralForeground2, maxWidth: '80ch' },
});

/** The same title block on every screen, so they line up when switching. */
export function ScreenLayout({ id, title, lead, actions, children }: { id: string; title: string; lead: ReactNode; actions?: ReactNode; children: ReactNode }) {
  const styles = useStyles();
  return (
    <section className={styles.screen} data-testid={`screen-${id}`} aria-labelledby={`screen-title-${id}`}>
      <div className={styles.head}>
        <div className={styles.titleRow}>
          <Title2 as="h1" id={`screen-title-${id}`} className={styles.title}>
            {title}
          </Title2>
          <span className={styles.spacer} />
          {actions}
        </div>
        <Body1 className={styles.lead}>{lead}</Body1>
      </div>
      {children}
    </section>
  );
}
