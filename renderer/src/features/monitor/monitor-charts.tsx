import { makeStyles, tokens } from '@fluentui/react-components';
import { useMemo, type ReactNode } from 'react';
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { buildChartData, framesInWindow, OTHER, windowEnd, type ChartData, type ChartRow } from '../../store/monitor/chart-series';
import type { MonitorBuffers } from '../../store/monitor/monitor-buffers';
import { timelineLanes, type TimelineLane } from '../../store/monitor/selectors';
import { CHART_MARGIN, ChartFrame, GUTTER, RIGHT, TICK, timeTicks } from './chart-frame';
import { fmtClock, fmtCount, fmtMs, fmtPct, fmtRate, fmtTick } from './format';
import { seriesColour } from './series-colours';
import { ChartLegend } from './chart-legend';
import { ChartTable } from './chart-table';
import { TripTimeline } from './trip-timeline';
import { useElementWidth } from './use-element-width';
import { useMonitor, useMonitorVersion } from './use-monitor';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
});

const HEIGHT = 140;
/**
 * Each chart follows the cards by its own moment (300 ms, then 120 ms apart), so every commit and its layout is a
 * separate short task instead of one long one that holds up input.
 */
export const CHARTS_DELAY_MS = 300;
const STAGGER_MS = 120;
type Field = 'rps' | 'tpm' | 's429' | 'success' | 'p50' | 'p99';
const pick = (field: Field, key: string) => (row: ChartRow) => row[field][key] ?? null;

const tooltipStyle = {
  backgroundColor: tokens.colorNeutralBackground1,
  border: `1px solid ${tokens.colorNeutralStroke1}`,
  borderRadius: 4,
  fontSize: 12,
  padding: '6px 8px',
  boxShadow: tokens.shadow8,
};

/** Round y-axis ticks for 0..max (1, 2, 2.5 or 5 × 10^n steps), computed here rather than by recharts' decimal maths. */
export function niceTicks(max: number, count = 4, whole = false): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  // Counts (requests, 429s) get whole steps: "0.3 requests" on an axis reads as a bug.
  const step = Math.max(whole ? 1 : 0, (whole ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10]).map((m) => m * mag).find((s) => s >= raw)!);
  const top = Math.ceil(max / step) * step;
  const out: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) out.push(Math.round(v * 1000) / 1000);
  return out;
}

/** The highest stacked (sum of keys) or single value of one field over the rows. */
function maxOf(rows: readonly ChartRow[], field: Field, keys: readonly string[], stacked: boolean): number {
  let max = 0;
  for (const r of rows) {
    let sum = 0;
    for (const k of keys) {
      const v = r[field][k] ?? 0;
      sum = stacked ? sum + v : Math.max(sum, v);
    }
    max = Math.max(max, sum);
  }
  return max;
}

const noPoints = () => [];

/*
 * The parts every chart repeats: grid, the shared time axis (labelled on every chart, so each reads on its own),
 * y axis, tooltip.
 * Ticks are given, not derived: recharts would measure each new time label in the DOM (a forced layout per chart
 * per second) and run decimal maths for nice y ticks, which together made most of a chart update's cost.
 */
function common(from: number, to: number, unit: (v: number) => string, ticks: number[], tick: (v: number) => string = unit, x: 't' | ((row: ChartRow) => number) = 't') {
  return [
    <CartesianGrid key="grid" vertical={false} verticalCoordinatesGenerator={noPoints} stroke={tokens.colorNeutralStroke2} />,
    <XAxis
      key="x"
      type="number"
      dataKey={x}
      domain={[from, to]}
      allowDataOverflow
      ticks={timeTicks(from, to)}
      interval={0}
      tick={TICK}
      tickFormatter={fmtClock}
      stroke={tokens.colorNeutralStroke2}
      height={20}
    />,
    <YAxis key="y" width={GUTTER} tick={TICK} stroke={tokens.colorNeutralStroke2} tickFormatter={tick} domain={[0, ticks[ticks.length - 1]!]} ticks={ticks} interval={0} allowDataOverflow />,
    <Tooltip
      key="tip"
      isAnimationActive={false}
      contentStyle={tooltipStyle}
      labelStyle={{ color: tokens.colorNeutralForeground2 }}
      itemStyle={{ padding: 0 }}
      // The row's own second (the 429 bars are placed mid-step, their label is still the step's start).
      labelFormatter={(t, payload) => fmtClock(Number((payload?.[0]?.payload as ChartRow | undefined)?.t ?? t))}
      formatter={(v) => (typeof v === 'number' ? unit(v) : '–')}
    />,
  ];
}

interface View {
  data: ChartData;
  lanes: TimelineLane[];
}

let cached: { buffers: MonitorBuffers; frames: number; minutes: number; ids: readonly string[]; view: View } | null = null;

/** Chart rows and timeline lanes for the buffers as they are now; computed once per second for all six views. */
function viewOf(buffers: MonitorBuffers, minutes: number, ids: readonly string[]): View {
  const c = cached;
  if (c && c.buffers === buffers && c.frames === buffers.versions.frames && c.minutes === minutes && c.ids === ids) return c.view;
  const seconds = minutes * 60;
  const to = windowEnd(buffers, buffers.gatewayNow());
  const frames = framesInWindow(buffers, seconds, to);
  const data = buildChartData(frames, seconds, to, ids);
  const view = { data, lanes: timelineLanes(buffers, frames, ids, data.from, data.to) };
  cached = { buffers, frames: buffers.versions.frames, minutes, ids, view };
  return view;
}

const EMPTY: readonly string[] = [];

/** One chart's own subscription: it re-renders alone, `index` slots after the cards. */
function Slot({ index, render }: { index: number; render: (view: View, ids: readonly string[]) => ReactNode }) {
  const version = useMonitorVersion(['frames'], CHARTS_DELAY_MS + index * STAGGER_MS);
  const buffers = useMonitor((s) => s.monitorBuffers);
  const minutes = useMonitor((s) => s.monitor.windowMinutes);
  const ids = useMonitor((s) => s.monitor.config?.backends ?? EMPTY);
  const view = useMemo(() => viewOf(buffers, minutes, ids), [version, buffers, minutes, ids]);
  return render(view, ids);
}

const named = (k: string) => (k === OTHER ? 'other backends' : k);

/** Requests/s stacked by backend, success rate, latency, tokens/min, 429s and the trip timeline, on one time axis. */
export function MonitorCharts() {
  const styles = useStyles();
  const { ref, width } = useElementWidth<HTMLDivElement>();
  const chart = (rows: ChartRow[]) => ({ width, height: HEIGHT, data: rows, margin: CHART_MARGIN, syncId: 'monitor', accessibilityLayer: false });
  return (
    <div className={styles.root} ref={ref} data-testid="monitor-charts">
      <Slot index={0} render={({ data: { keys } }, ids) => <ChartLegend keys={keys} ids={ids} />} />
      <Slot
        index={0}
        render={({ data: { from, to, rows, keys } }, ids) => (
          <ChartFrame title="Requests/s by backend" note="stacked" testId="chart-rps" data={{ rows: rows.length, keys: keys.join(','), 'last-rps': JSON.stringify(rows.at(-1)?.rps ?? {}) }}>
            <AreaChart {...chart(rows)}>
              {common(from, to, fmtRate, niceTicks(maxOf(rows, 'rps', keys, true), 4, true), fmtTick)}
              {keys.map((k) => (
                <Area key={k} type="linear" dataKey={pick('rps', k)} name={named(k)} stackId="rps" stroke={seriesColour(k, ids)} fill={seriesColour(k, ids)} fillOpacity={0.35} isAnimationActive={false} dot={false} />
              ))}
            </AreaChart>
          </ChartFrame>
        )}
      />
      <Slot
        index={1}
        render={({ data: { from, to, rows, keys } }, ids) => (
          <ChartFrame title="Success rate" note="clients (thick): requests answered 2xx; backends: 2xx of their answers" testId="chart-success">
            <LineChart {...chart(rows)}>
              {common(from, to, (v) => fmtPct(Math.round(v)), [0, 25, 50, 75, 100])}
              <Line key="clients" type="linear" dataKey={(row: ChartRow) => row.client} name="clients" stroke={tokens.colorNeutralForeground1} strokeWidth={3} dot={false} isAnimationActive={false} />
              {keys
                .filter((k) => k !== OTHER)
                .map((k) => (
                  <Line key={k} type="linear" dataKey={pick('success', k)} name={named(k)} stroke={seriesColour(k, ids)} strokeWidth={1.5} dot={false} isAnimationActive={false} />
                ))}
            </LineChart>
          </ChartFrame>
        )}
      />
      <Slot
        index={2}
        render={({ data: { from, to, rows, keys } }, ids) => {
          const lineKeys = keys.filter((k) => k !== OTHER);
          return (
            <ChartFrame title="Latency" note="p99 solid, p50 dashed" testId="chart-latency">
              <LineChart {...chart(rows)}>
                {common(from, to, fmtMs, niceTicks(Math.max(maxOf(rows, 'p99', lineKeys, false), maxOf(rows, 'p50', lineKeys, false))))}
                {lineKeys.flatMap((k) => [
                  <Line key={`${k}-p99`} type="linear" dataKey={pick('p99', k)} name={`${k} p99`} stroke={seriesColour(k, ids)} strokeWidth={1.5} dot={false} isAnimationActive={false} />,
                  <Line key={`${k}-p50`} type="linear" dataKey={pick('p50', k)} name={`${k} p50`} stroke={seriesColour(k, ids)} strokeWidth={1} strokeDasharray="4 3" dot={false} isAnimationActive={false} />,
                ])}
              </LineChart>
            </ChartFrame>
          );
        }}
      />
      <Slot
        index={3}
        render={({ data: { from, to, rows, keys } }, ids) => (
          <ChartFrame title="Tokens/min" note="prompt + completion, stacked" testId="chart-tokens">
            <AreaChart {...chart(rows)}>
              {common(from, to, fmtCount, niceTicks(maxOf(rows, 'tpm', keys, true)))}
              {keys.map((k) => (
                <Area key={k} type="linear" dataKey={pick('tpm', k)} name={named(k)} stackId="tpm" stroke={seriesColour(k, ids)} fill={seriesColour(k, ids)} fillOpacity={0.25} isAnimationActive={false} dot={false} />
              ))}
            </AreaChart>
          </ChartFrame>
        )}
      />
      <Slot
        index={4}
        render={({ data: { from, to, rows, keys, stepMs } }, ids) => (
          <ChartFrame
            title="429 Too Many Requests"
            note="per second, by backend"
            testId="chart-429"
            data={{ t429: rows.filter((r) => Object.values(r.s429).some((v) => v > 0)).map((r) => r.t).join(',') }}
          >
            {/*
              A numeric time axis gives bars no width of their own: one step's worth of pixels each, centred on the
              middle of the step, so a bar covers its own second(s) [t, t + step) under the trip timeline's band and
              marks instead of straddling the second before.
            */}
            <BarChart {...chart(rows)} barSize={Math.max(1, Math.floor((width - GUTTER - RIGHT) / Math.max(1, (to - from) / stepMs)) - 1)}>
              {common(from, to, fmtRate, niceTicks(maxOf(rows, 's429', keys, true), 4, true), fmtTick, (row) => row.t + stepMs / 2)}
              {keys.map((k) => (
                <Bar key={k} dataKey={pick('s429', k)} name={named(k)} stackId="429" fill={seriesColour(k, ids)} isAnimationActive={false} />
              ))}
            </BarChart>
          </ChartFrame>
        )}
      />
      <Slot index={5} render={({ lanes, data: { from, to } }, ids) => <TripTimeline lanes={lanes} from={from} to={to} width={width} colour={(id) => seriesColour(id, ids)} />} />
      <Slot index={5} render={({ data }) => <ChartTable data={data} />} />
    </div>
  );
}
