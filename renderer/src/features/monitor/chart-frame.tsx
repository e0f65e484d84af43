import { Caption1, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';

/*
 * Geometry every time chart shares with the trip timeline: the same left gutter (the y axis) and right margin,
 * so one x position is one instant in all of them.
 */
export const GUTTER = 92;
export const RIGHT = 16;
export const CHART_MARGIN = { top: 8, right: RIGHT, bottom: 8, left: 0 };
export const TICK = { fontSize: 11, fill: tokens.colorNeutralForeground3 };

const useStyles = makeStyles({
  box: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  title: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'baseline', paddingLeft: `${GUTTER}px` },
  name: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground1 },
  note: { color: tokens.colorNeutralForeground3 },
});

/** A titled chart; `data` becomes `data-*` attributes (what the end-to-end test reads: rows, last values). */
export function ChartFrame({ title, note, testId, data, children }: { title: string; note?: string; testId: string; data?: Record<string, string | number>; children: ReactNode }) {
  const styles = useStyles();
  const attrs = Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [`data-${k}`, v]));
  return (
    <figure className={styles.box} data-testid={testId} aria-label={title} style={{ margin: 0 }} {...attrs}>
      <figcaption className={styles.title}>
        <Caption1 className={styles.name}>{title}</Caption1>
        {note && <Caption1 className={styles.note}>{note}</Caption1>}
      </figcaption>
      {children}
    </figure>
  );
}
