import { Caption1, makeStyles, tokens } from '@fluentui/react-components';
import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { DeployedReport } from '../../../../shared/contract';
import { CHART_MARGIN, ChartFrame, GUTTER, TICK } from '../monitor/chart-frame';
import { fmtClock, fmtMs, fmtTick } from '../monitor/format';
import { seriesColour } from '../monitor/series-colours';
import { useElementWidth } from '../monitor/use-element-width';
import { chartRows, type DeployedRow } from './chart-rows';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  legend: { display: 'flex', gap: tokens.spacingHorizontalL, paddingLeft: `${GUTTER}px`, flexWrap: 'wrap' },
  key: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  swatch: { width: '10px', height: '10px', borderRadius: '2px', display: 'inline-block' },
});
const HEIGHT = 140;
const tooltipStyle = { backgroundColor: tokens.colorNeutralBackground1, border: `1px solid ${tokens.colorNeutralStroke1}`, borderRadius: 4, fontSize: 12 };

/**
 * The deployed service charted like the local gateway: requests and 429/5xx per backend, mean backend time. The
 * part of the axis the ingestion delay has not filled yet is shaded and says so; inferred openings and Event Grid
 * breaker events are vertical marks.
 */
export function DeployedCharts({ report, backends }: { report: DeployedReport; backends: string[] }) {
  const styles = useStyles();
  const { ref, width } = useElementWidth<HTMLDivElement>();
  const rows = useMemo(() => chartRows(report, backends), [report, backends]);
  const from = Date.parse(report.from);
  const to = Date.parse(report.to);
  const pending = Date.parse(report.incompleteAfter);
  const marks = [
    ...report.openings.map((o) => ({ t: Date.parse(o.at), label: `${o.backend} stops (inferred opening)`, colour: tokens.colorPaletteRedBorderActive })),
    ...(report.breakerEvents ?? []).map((e) => ({ t: Date.parse(e.at), label: `${e.backend} ${e.type} (Event Grid)`, colour: e.type === 'opened' ? tokens.colorPaletteRedForeground1 : tokens.colorPaletteGreenForeground1 })),
  ];
  const axis = (
    <XAxis dataKey="t" type="number" domain={[from, to]} scale="time" tickFormatter={(v: number) => fmtClock(v).slice(0, 5)} tick={TICK} stroke={tokens.colorNeutralStroke2} />
  );
  const overlay = (label: boolean) => [
    <ReferenceArea key="pending" x1={Math.max(from, pending)} x2={to} fill={tokens.colorNeutralBackground4} fillOpacity={0.7} ifOverflow="hidden" label={label ? { value: 'still arriving', position: 'insideTop', fontSize: 11, fill: tokens.colorNeutralForeground3 } : undefined} />,
    ...marks.map((m, i) => <ReferenceLine key={`m${i}`} x={m.t} stroke={m.colour} strokeDasharray="4 3" label={label ? { value: m.label, position: 'insideTopLeft', fontSize: 11, fill: m.colour } : undefined} />),
  ];
  const yAxis = (fmt: (v: number) => string) => <YAxis width={GUTTER} tick={TICK} tickFormatter={fmt} stroke={tokens.colorNeutralStroke2} allowDecimals={false} />;
  const tip = (fmt: (v: number) => string) => <Tooltip contentStyle={tooltipStyle} labelFormatter={(v) => fmtClock(Number(v))} formatter={(v) => fmt(Number(v))} />;
  const series = (field: keyof Omit<DeployedRow, 't'>) => (id: string) => (row: DeployedRow) => row[field][id] ?? null;
  const w = Math.max(320, width);
  const total = rows.reduce((n, r) => n + Object.values(r.requests).reduce((a, b) => a + b, 0), 0);
  return (
    <div ref={ref} className={styles.root}>
      <div className={styles.legend} data-testid="deployed-legend">
        {backends.map((id) => (
          <Caption1 key={id} className={styles.key}>
            <span className={styles.swatch} style={{ backgroundColor: seriesColour(id, backends) }} />
            {id === '(apim)' ? '(apim): answered by APIM itself' : id}
          </Caption1>
        ))}
      </div>
      <ChartFrame title="Requests per backend" note={`per ${report.bucketSeconds} s, from ApiManagementGatewayLogs`} testId="deployed-chart-requests" data={{ rows: rows.length, total }}>
        <BarChart width={w} height={HEIGHT} data={rows} margin={CHART_MARGIN} barCategoryGap={1}>
          <CartesianGrid stroke={tokens.colorNeutralStroke3} vertical={false} />
          {axis}
          {yAxis(fmtTick)}
          {tip(fmtTick)}
          {backends.map((id) => <Bar key={id} dataKey={series('requests')(id)} name={id} stackId="r" fill={seriesColour(id, backends)} isAnimationActive={false} />)}
          {overlay(true)}
        </BarChart>
      </ChartFrame>
      <ChartFrame title="429 and 5xx per backend" note="what the backend answered (BackendResponseCode)" testId="deployed-chart-failures">
        <LineChart width={w} height={HEIGHT} data={rows} margin={CHART_MARGIN}>
          <CartesianGrid stroke={tokens.colorNeutralStroke3} vertical={false} />
          {axis}
          {yAxis(fmtTick)}
          {tip(fmtTick)}
          {backends.map((id) => <Line key={id} dataKey={series('failures')(id)} name={id} stroke={seriesColour(id, backends)} dot={false} isAnimationActive={false} />)}
          {overlay(false)}
        </LineChart>
      </ChartFrame>
      <ChartFrame title="Backend time" note="mean BackendTime per bucket" testId="deployed-chart-latency">
        <LineChart width={w} height={HEIGHT} data={rows} margin={CHART_MARGIN}>
          <CartesianGrid stroke={tokens.colorNeutralStroke3} vertical={false} />
          {axis}
          {yAxis((v) => fmtMs(v))}
          {tip((v) => fmtMs(v))}
          {backends.map((id) => <Line key={id} dataKey={series('backendMs')(id)} name={id} stroke={seriesColour(id, backends)} dot={false} connectNulls={false} isAnimationActive={false} />)}
          {overlay(false)}
        </LineChart>
      </ChartFrame>
    </div>
  );
}
