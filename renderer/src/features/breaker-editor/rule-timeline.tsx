import { tokens } from '@fluentui/react-components';
import { parseDuration } from '../../../../shared/model/duration';
import type { BreakerRule } from '../../../../shared/model/schema';
import { explainRule, humanDuration } from './explain-rule';

const W = 520;
const H = 112;
const AXIS = 64;
const PAD = 12;

/**
 * The rule drawn on a time axis: the sliding window with its failures, the trip, the open period (and the
 * Retry-After extension when accepted), then closed again. Widths follow the durations, within readable bounds.
 */
export function RuleTimeline({ rule }: { rule: BreakerRule }) {
  const c = rule.failureCondition;
  const interval = parseDuration(c.interval);
  const trip = parseDuration(rule.tripDuration);
  const iv = interval.ok ? interval.ms : 60_000;
  const tr = trip.ok ? trip.ms : 60_000;
  const usable = W - 2 * PAD - 70 - (rule.acceptRetryAfter ? 70 : 0);
  // Keep both parts legible even when one duration is 100× the other.
  const ratio = Math.min(0.8, Math.max(0.2, iv / (iv + tr)));
  const x0 = PAD;
  const x1 = x0 + usable * ratio;
  const x2 = x1 + usable * (1 - ratio);
  const x3 = rule.acceptRetryAfter ? x2 + 70 : x2;
  const percentage = c.percentage !== undefined && c.count === undefined;
  const ticks = percentage ? 3 : Math.max(1, Math.min(8, c.count ?? 1));
  const failX = Array.from({ length: ticks }, (_, i) => (ticks === 1 ? x1 - 6 : x0 + 10 + ((x1 - 6 - x0 - 10) * i) / (ticks - 1)));
  const text = { fill: tokens.colorNeutralForeground2, fontSize: 11, fontFamily: tokens.fontFamilyBase };
  return (
    <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} style={{ maxWidth: '100%', height: 'auto' }} role="img" aria-label={explainRule(rule).sentence} data-testid="rule-timeline">
      <line x1={PAD} x2={W - PAD} y1={AXIS} y2={AXIS} style={{ stroke: tokens.colorNeutralStroke1 }} />
      <rect x={x0} y={AXIS - 30} width={x1 - x0} height={30} rx={4} style={{ fill: tokens.colorNeutralBackground3, stroke: tokens.colorNeutralStroke2 }} />
      <text x={x0 + 4} y={AXIS - 36} style={text}>
        window {humanDuration(c.interval)}
      </text>
      {failX.map((x, i) => (
        <circle key={i} cx={x} cy={AXIS - 15} r={5} style={{ fill: tokens.colorPaletteRedBackground3 }} />
      ))}
      {percentage && (
        <text x={x0 + 4} y={AXIS + 14} style={text}>
          ≥ {c.percentage} % failed
        </text>
      )}
      <line x1={x1} x2={x1} y1={AXIS - 44} y2={AXIS + 6} style={{ stroke: tokens.colorPaletteRedBorder2, strokeWidth: 2 }} />
      <text x={x1 + 4} y={AXIS - 36} style={{ ...text, fill: tokens.colorPaletteRedForeground1 }}>
        trips
      </text>
      <rect x={x1} y={AXIS - 8} width={x2 - x1} height={16} style={{ fill: tokens.colorPaletteRedBackground2 }} />
      <text x={x1 + 4} y={AXIS + 24} style={text}>
        open {humanDuration(rule.tripDuration)}: no requests sent
      </text>
      {rule.acceptRetryAfter && (
        <>
          <rect x={x2} y={AXIS - 8} width={x3 - x2} height={16} style={{ fill: 'none', stroke: tokens.colorPaletteRedBorder2, strokeDasharray: '4 3' }} />
          <text x={x2 + 2} y={AXIS + 40} style={text}>
            or Retry-After
          </text>
        </>
      )}
      <rect x={x3} y={AXIS - 8} width={W - PAD - x3} height={16} style={{ fill: tokens.colorPaletteGreenBackground2 }} />
      <text x={x3 + 4} y={AXIS - 12} style={{ ...text, fill: tokens.colorPaletteGreenForeground1 }}>
        closed
      </text>
    </svg>
  );
}
