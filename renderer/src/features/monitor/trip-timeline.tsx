import { Caption1, makeStyles, tokens } from '@fluentui/react-components';
import type { TimelineLane } from '../../store/monitor/selectors';
import { ChartFrame, GUTTER, RIGHT } from './chart-frame';
import { fmtClock } from './format';

const useStyles = makeStyles({
  legend: { display: 'flex', gap: tokens.spacingHorizontalL, paddingLeft: `${GUTTER}px`, color: tokens.colorNeutralForeground3 },
  key: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  swatch: { display: 'inline-block', width: '14px', height: '8px', borderRadius: '2px' },
  empty: { color: tokens.colorNeutralForeground3, paddingLeft: `${GUTTER}px` },
});

const LANE = 26;
const AXIS = 20;

/** Ticks at a round step for the window: every 10 s for a minute, every minute for 5, every 3 for 15. */
function ticks(from: number, to: number): number[] {
  const span = to - from;
  const step = span <= 60_000 ? 10_000 : span <= 300_000 ? 60_000 : 180_000;
  const out: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) out.push(t);
  return out;
}

/**
 * Per backend: a band while its breaker was open, a red mark at each trip, a green one at each reset, and amber ticks
 * where requests failed over from it. Drawn on the charts' time axis (same gutter, same width). Hover a mark for
 * its exact time and reason.
 */
export function TripTimeline({ lanes, from, to, width, colour }: { lanes: TimelineLane[]; from: number; to: number; width: number; colour: (id: string) => string }) {
  const styles = useStyles();
  const plot = Math.max(1, width - GUTTER - RIGHT);
  const x = (t: number) => GUTTER + ((t - from) / Math.max(1, to - from)) * plot;
  const height = lanes.length * LANE + AXIS;
  const red = tokens.colorPaletteRedBorderActive;
  return (
    <ChartFrame title="Trip timeline" note="breaker open, trips, resets and failovers" testId="trip-timeline">
      {lanes.length === 0 ? (
        <Caption1 className={styles.empty}>Start the gateway to see each backend&apos;s breaker here.</Caption1>
      ) : (
        <svg width={width} height={height} role="img" aria-label="Breaker state per backend over time">
          {ticks(from, to).map((t) => (
            <g key={t}>
              <line x1={x(t)} x2={x(t)} y1={0} y2={height - AXIS} stroke={tokens.colorNeutralStroke2} strokeDasharray="2 3" />
              <text x={x(t)} y={height - 6} textAnchor="middle" fontSize={11} fill={tokens.colorNeutralForeground3}>
                {fmtClock(t)}
              </text>
            </g>
          ))}
          {lanes.map((lane, i) => {
            const top = i * LANE;
            const mid = top + LANE / 2 + 4;
            const trips = lane.markers.filter((m) => m.kind === 'trip').length;
            return (
              <g key={lane.backend} data-testid={`timeline-lane-${lane.backend}`} data-open-spans={lane.open.length} data-trips={trips}>
                <line x1={GUTTER} x2={GUTTER + plot} y1={mid} y2={mid} stroke={colour(lane.backend)} strokeWidth={2} strokeOpacity={0.5} />
                <text x={GUTTER - 6} y={mid + 4} textAnchor="end" fontSize={11} fill={tokens.colorNeutralForeground2}>
                  {lane.backend.length > 14 ? `${lane.backend.slice(0, 13)}…` : lane.backend}
                  <title>{lane.backend}</title>
                </text>
                {lane.open.map((s) => (
                  <rect key={s.from} data-testid={`timeline-band-${lane.backend}`} x={x(s.from)} y={mid - 7} width={Math.max(2, x(s.to) - x(s.from))} height={14} rx={2} fill={red} fillOpacity={0.3} stroke={red}>
                    <title>{`open ${fmtClock(s.from)} – ${fmtClock(s.to)}`}</title>
                  </rect>
                ))}
                {lane.markers.map((m, j) =>
                  m.kind === 'failover' ? (
                    <line key={`f${j}`} x1={x(m.t)} x2={x(m.t)} y1={mid + 4} y2={mid + 10} stroke={tokens.colorPaletteMarigoldBorderActive} strokeWidth={2}>
                      <title>{`${m.count} failover${m.count === 1 ? '' : 's'} from ${lane.backend} at ${fmtClock(m.t - 500)}`}</title>
                    </line>
                  ) : (
                    <g key={`m${j}`} data-testid={`timeline-${m.kind}-${lane.backend}`}>
                      <line x1={x(m.t)} x2={x(m.t)} y1={mid - 10} y2={mid + 10} stroke={m.kind === 'trip' ? red : tokens.colorPaletteGreenBorderActive} strokeWidth={2} />
                      <circle cx={x(m.t)} cy={mid - 10} r={3.5} fill={m.kind === 'trip' ? red : tokens.colorPaletteGreenBorderActive}>
                        <title>{`${m.kind} ${lane.backend} at ${fmtClock(m.t)}${m.reason ? ` · ${m.reason}` : ''}`}</title>
                      </circle>
                    </g>
                  ),
                )}
              </g>
            );
          })}
        </svg>
      )}
      <div className={styles.legend}>
        <Caption1 className={styles.key}>
          <span className={styles.swatch} style={{ backgroundColor: red, opacity: 0.5 }} /> open
        </Caption1>
        <Caption1 className={styles.key}>
          <span className={styles.swatch} style={{ backgroundColor: red, width: '3px' }} /> trip
        </Caption1>
        <Caption1 className={styles.key}>
          <span className={styles.swatch} style={{ backgroundColor: tokens.colorPaletteGreenBorderActive, width: '3px' }} /> reset
        </Caption1>
        <Caption1 className={styles.key}>
          <span className={styles.swatch} style={{ backgroundColor: tokens.colorPaletteMarigoldBorderActive, width: '3px' }} /> failover
        </Caption1>
      </div>
    </ChartFrame>
  );
}
