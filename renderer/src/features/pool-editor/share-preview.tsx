import { Button, Caption1, makeStyles, MessageBar, MessageBarBody, Subtitle2, Switch, Text, tokens } from '@fluentui/react-components';
import { Bar, BarChart, CartesianGrid, Cell, XAxis, YAxis } from 'recharts';
import { useElementWidth } from '../monitor/use-element-width';
import { formatShare, type SharePreview, type ShareRow } from './share-math';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  head: { display: 'flex', alignItems: 'center', justifyContent: 'space-between' },
  rows: { display: 'grid', gridTemplateColumns: '1fr auto auto', alignItems: 'center', columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalXXS },
  share: { fontVariantNumeric: 'tabular-nums', minWidth: '5em', textAlign: 'right', fontWeight: tokens.fontWeightSemibold },
  muted: { color: tokens.colorNeutralForeground3 },
});

/* Chart colours come from the Fluent theme (CSS variables), so light and dark both read well. */
function barColour(row: ShareRow): string {
  if (row.tripped) return tokens.colorPaletteRedBackground3;
  return row.share > 0 ? tokens.colorBrandBackground : tokens.colorNeutralStroke1;
}

function rowNote(row: ShareRow, preview: SharePreview): string {
  if (row.tripped) return 'tripped';
  if (row.share > 0 || preview.kind !== 'ok') return `priority ${row.priority}`;
  return `priority ${row.priority} · standby`;
}

export interface SharePreviewPanelProps {
  preview: SharePreview;
  onToggleTripped(backend: string, on: boolean): void;
  onClear(): void;
  anyTripped: boolean;
}

/** Live traffic share per member now, and under "what if these were tripped". */
export function SharePreviewPanel({ preview, onToggleTripped, onClear, anyTripped }: SharePreviewPanelProps) {
  const styles = useStyles();
  // At most 340 px, narrower when the column is (200 % zoom): the chart never pushes the screen sideways.
  const { ref: chartBox, width: boxWidth } = useElementWidth<HTMLDivElement>(340);
  if (preview.kind === 'invalid') {
    return (
      <section className={styles.root} aria-label="Traffic share preview" data-testid="share-preview">
        <Subtitle2>Traffic share</Subtitle2>
        <Text data-testid="share-paused">{preview.message}</Text>
      </section>
    );
  }
  const data = preview.rows.map((r) => ({ backend: r.backend, percent: Math.round(r.share * 1000) / 10, row: r }));
  return (
    <section className={styles.root} aria-label="Traffic share preview" data-testid="share-preview">
      <div className={styles.head}>
        <Subtitle2>Traffic share</Subtitle2>
        <Button size="small" appearance="subtle" disabled={!anyTripped} onClick={onClear} data-testid="trip-clear">
          Clear what-if
        </Button>
      </div>
      <Caption1 className={styles.muted}>Mark members tripped to see where their traffic goes: first to their lane, then to the next lane.</Caption1>
      {preview.kind === 'none' && (
        <MessageBar intent="error" data-testid="share-none">
          <MessageBarBody>{preview.message}</MessageBarBody>
        </MessageBar>
      )}
      <div ref={chartBox}>
        <BarChart width={Math.min(340, boxWidth)} height={180} data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }} accessibilityLayer={false} aria-hidden>
          <CartesianGrid vertical={false} stroke={tokens.colorNeutralStroke2} />
          <XAxis dataKey="backend" tick={{ fill: tokens.colorNeutralForeground2, fontSize: 11 }} stroke={tokens.colorNeutralStroke1} interval={0} />
          <YAxis domain={[0, 100]} unit=" %" width={48} tick={{ fill: tokens.colorNeutralForeground2, fontSize: 11 }} stroke={tokens.colorNeutralStroke1} />
          <Bar dataKey="percent" isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.backend} fill={barColour(d.row)} />
            ))}
          </Bar>
        </BarChart>
      </div>
      <div className={styles.rows} role="table" aria-label="Share per backend">
        {preview.rows.map((r) => (
          <div key={r.backend} role="row" style={{ display: 'contents' }}>
            <span role="cell">
              <Text weight="semibold">{r.backend}</Text> <Caption1 className={styles.muted}>{rowNote(r, preview)}</Caption1>
            </span>
            <span role="cell">
              <Switch
                label="tripped"
                checked={r.tripped}
                onChange={(_, d) => onToggleTripped(r.backend, d.checked)}
                data-testid={`trip-toggle-${r.backend}`}
                aria-label={`What if ${r.backend} were tripped`}
              />
            </span>
            <span role="cell" className={styles.share} data-testid={`share-${r.backend}`}>
              {formatShare(r.share)}
            </span>
          </div>
        ))}
      </div>
    </section>
  );
}
