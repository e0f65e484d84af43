import { Caption1, Field, makeStyles, Select, tokens } from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import { Area, AreaChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { CHART_MARGIN, ChartFrame, GUTTER, TICK } from '../monitor/chart-frame';
import { fmtClock, fmtCount } from '../monitor/format';
import { niceTicks } from '../monitor/monitor-charts';
import { useElementWidth } from '../monitor/use-element-width';
import { useMonitor, useMonitorVersion } from '../monitor/use-monitor';
import { dimensionLabels, tokenRows } from './token-series';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  head: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  muted: { color: tokens.colorNeutralForeground3 },
});

const PALETTE = [tokens.colorPaletteBlueForeground2, tokens.colorPaletteMarigoldForeground2, tokens.colorPaletteGreenForeground2, tokens.colorPaletteBerryForeground2, tokens.colorPaletteTealForeground2, tokens.colorPaletteDarkOrangeForeground2, tokens.colorNeutralForeground3];
const HEIGHT = 160;

/**
 * Tokens per second split by one dimension of the API's token metric (the same dimensions the policy sends to
 * Application Insights), stacked. Shows nothing until an API with a tokenMetric has served a request.
 */
export function TokenDimensionChart() {
  const styles = useStyles();
  const { ref, width } = useElementWidth<HTMLDivElement>();
  const version = useMonitorVersion(['frames'], 600);
  const buffers = useMonitor((s) => s.monitorBuffers);
  const frames = useMemo(() => buffers.frames.toArray(), [buffers, version]);
  const labels = useMemo(() => dimensionLabels(frames), [frames]);
  const hasData = frames.some((f) => f.llm && f.llm.length > 0);
  const [picked, setPicked] = useState<string>();
  const label = picked && labels.includes(picked) ? picked : (labels[2] ?? 'api');
  const { keys, rows } = useMemo(() => tokenRows(frames, label), [frames, label]);
  const data = rows.map((r) => ({ t: r.t, ...Object.fromEntries(keys.map((k) => [`k:${k}`, r.v[k]])) }));
  const max = rows.reduce((m, r) => Math.max(m, keys.reduce((sum, k) => sum + (r.v[k] ?? 0), 0)), 0);
  const ticks = niceTicks(max, 4, true);
  const from = rows[0]?.t ?? 0;
  const to = rows.at(-1)?.t ?? 1;
  return (
    <div className={styles.root} ref={ref} data-testid="token-dimension-chart" data-label={label} data-keys={keys.join(',')}>
      <div className={styles.head}>
        <Field label="Split tokens by" size="small">
          <Select value={label} onChange={(_, d) => setPicked(d.value)} data-testid="token-dimension-pick" disabled={!hasData}>
            {labels.map((l) => (
              <option key={l} value={l}>{l}</option>
            ))}
          </Select>
        </Field>
        <Caption1 className={styles.muted}>the token metric's dimensions (breakerboard_llm_tokens_total), prompt + completion per second</Caption1>
      </div>
      {!hasData ? (
        <Caption1 className={styles.muted}>No token metric yet: give an API a token metric (Pools screen, APIs) and send it traffic.</Caption1>
      ) : (
        <ChartFrame title={`Tokens/s by ${label}`} note="stacked" testId="chart-llm-tokens" data={{ rows: rows.length }}>
          <AreaChart width={width} height={HEIGHT} data={data} margin={CHART_MARGIN} accessibilityLayer={false}>
            <CartesianGrid vertical={false} stroke={tokens.colorNeutralStroke2} />
            <XAxis type="number" dataKey="t" domain={[from, to]} hide />
            <YAxis width={GUTTER} tick={TICK} stroke={tokens.colorNeutralStroke2} tickFormatter={fmtCount} domain={[0, ticks.at(-1)!]} ticks={ticks} interval={0} />
            <Legend verticalAlign="top" align="right" height={22} iconSize={8} wrapperStyle={{ fontSize: 12 }} />
            <Tooltip isAnimationActive={false} labelFormatter={(t) => fmtClock(Number(t))} formatter={(v) => (typeof v === 'number' ? fmtCount(v) : '–')} />
            {keys.map((k, i) => (
              <Area key={k} type="linear" dataKey={`k:${k}`} name={k} stackId="llm" stroke={PALETTE[i % PALETTE.length]} fill={PALETTE[i % PALETTE.length]} fillOpacity={0.3} isAnimationActive={false} dot={false} />
            ))}
          </AreaChart>
        </ChartFrame>
      )}
    </div>
  );
}
