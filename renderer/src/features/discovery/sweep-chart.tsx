import { makeStyles, tokens } from '@fluentui/react-components';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SweepRow } from './sweep-data';

const useStyles = makeStyles({ chart: { width: '100%', height: '280px', minWidth: 0 } });

/** Colours from the Fluent theme, so the chart follows light and dark like the rest of the app. */
const SERIES = [
  { key: 'success', name: 'client success %', colour: tokens.colorPaletteGreenForeground1 },
  { key: 'throttled', name: '429 %', colour: tokens.colorPaletteDarkOrangeForeground1 },
  { key: 'unavailable', name: '503 %', colour: tokens.colorPaletteBerryForeground1 },
  { key: 'spillover', name: 'spillover share %', colour: tokens.colorPaletteBlueForeground2 },
] as const;

/** Client success, 429s, 503s and spillover share against the load factor (issue 17's sweep chart). */
export function SweepChart({ rows }: { rows: readonly SweepRow[] }) {
  const styles = useStyles();
  return (
    <div className={styles.chart} data-testid="capacity-sweep-chart" role="img" aria-label="Client success, 429s, 503s and spillover share against load">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rows as SweepRow[]} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid stroke={tokens.colorNeutralStroke2} strokeDasharray="3 3" />
          <XAxis dataKey="factor" type="number" domain={['dataMin', 'dataMax']} ticks={rows.map((r) => r.factor)} tickFormatter={(v: number) => `${v}×`} stroke={tokens.colorNeutralForeground3} fontSize={12} />
          <YAxis domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} unit="%" stroke={tokens.colorNeutralForeground3} fontSize={12} width={48} />
          <Tooltip formatter={(v) => `${v} %`} labelFormatter={(v) => `load ${v}×`} contentStyle={{ backgroundColor: tokens.colorNeutralBackground1, border: `1px solid ${tokens.colorNeutralStroke1}`, fontSize: 12 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {SERIES.map((s) => (
            <Line key={s.key} dataKey={s.key} name={s.name} stroke={s.colour} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
