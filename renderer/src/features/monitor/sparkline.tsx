import { tokens } from '@fluentui/react-components';

/*
 * A card's last minute as one SVG path. Deliberately not a recharts chart: 30 cards × a chart each would cost
 * more per second than all the big charts together, and a sparkline needs no axes or tooltip.
 */
export function Sparkline({ values, colour, label, className, height = 28, slots = 60 }: { values: readonly number[]; colour: string; label: string; className?: string; height?: number; slots?: number }) {
  const width = 120;
  const max = Math.max(1, ...values);
  // Right-aligned on a fixed minute: ten seconds of data fill the last sixth, not the whole width.
  const offset = Math.max(0, slots - values.length);
  const x = (i: number) => ((offset + i) / (slots - 1)) * width;
  const y = (v: number) => height - 2 - (v / max) * (height - 4);
  const line = values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
  const area = values.length > 1 ? `${line}L${x(values.length - 1).toFixed(1)},${height}L${x(0).toFixed(1)},${height}Z` : '';
  return (
    <svg className={className} viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" height={height} role="img" aria-label={label}>
      <line x1={0} x2={width} y1={height - 0.5} y2={height - 0.5} stroke={tokens.colorNeutralStroke2} strokeWidth={1} vectorEffect="non-scaling-stroke" />
      {area && <path d={area} fill={colour} fillOpacity={0.15} stroke="none" />}
      {line && <path d={line} fill="none" stroke={colour} strokeWidth={1.5} vectorEffect="non-scaling-stroke" />}
    </svg>
  );
}
