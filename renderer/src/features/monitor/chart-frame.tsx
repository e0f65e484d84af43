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

/** Time ticks at a round step for the window: every 10 s for a minute, every minute for 5, every 3 for 15. */
export function timeTicks(from: number, to: number): number[] {
  const span = to - from;
  const step = span <= 60_000 ? 10_000 : span <= 300_000 ? 60_000 : 180_000;
  const out: number[] = [];
  // Not in the last few percent: a label centred on the right edge would be cut off.
  for (let t = Math.ceil(from / step) * step; t <= to - span * 0.04; t += step) out.push(t);
  return out;
}

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
