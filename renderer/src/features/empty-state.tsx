import { Body1, makeStyles, Subtitle1, tokens } from '@fluentui/react-components';
import type { FluentIcon } from '@fluentui/react-icons';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  box: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    textAlign: 'center',
    gap: tokens.spacingVerticalM,
    padding: `${tokens.spacingVerticalXXXL} ${tokens.spacingHorizontalXXL}`,
    border: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusLarge,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  title: { margin: 0 },
  icon: { fontSize: '48px', color: tokens.colorBrandForeground1, display: 'flex' },
  text: { color: tokens.colorNeutralForeground2, maxWidth: '60ch', '& code': { whiteSpace: 'nowrap' } },
});

export function EmptyState({ Icon, title, children, testId }: { Icon: FluentIcon; title: string; children: ReactNode; testId?: string }) {
  const styles = useStyles();
  return (
    <div className={styles.box} data-testid={testId}>
      <span className={styles.icon} aria-hidden>
        <Icon />
      </span>
      <Subtitle1 as="h2" className={styles.title}>
        {title}
      </Subtitle1>
      <Body1 className={styles.text}>{children}</Body1>
    </div>
  );
}
