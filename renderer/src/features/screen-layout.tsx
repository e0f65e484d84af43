import { Body1, makeStyles, Title2, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  screen: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '1100px' },
  head: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  title: { margin: 0 },
  lead: { color: tokens.colorNeutralForeground2, maxWidth: '80ch' },
});

/** The same title block on every screen, so they line up when switching. */
export function ScreenLayout({ id, title, lead, children }: { id: string; title: string; lead: ReactNode; children: ReactNode }) {
  const styles = useStyles();
  return (
    <section className={styles.screen} data-testid={`screen-${id}`} aria-labelledby={`screen-title-${id}`}>
      <div className={styles.head}>
        <Title2 as="h1" id={`screen-title-${id}`} className={styles.title}>
          {title}
        </Title2>
        <Body1 className={styles.lead}>{lead}</Body1>
      </div>
      {children}
    </section>
  );
}
