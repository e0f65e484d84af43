import { Caption1, makeStyles, tokens } from '@fluentui/react-components';
import type { TimelineLane } from '../../store/monitor/selectors';
import { ChartFrame, GUTTER, RIGHT, timeTicks } from './chart-frame';
import { fmtClock } from './format';

const useStyles = makeStyles({
  legend: { display: 'flex', gap: tokens.spacingHorizontalL, paddingLeft: `${GUTTER}px`, color: tokens.colorNeutralForeground3 },
  key: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  swatch: { display: 'inline-block', width: '14px', height: '8px', borderRadius: '2px' },
  empty: { color: tokens.colorNeutralForeground3, paddingLeft: `${GUTTER}px` },
});

const LANE = 26;
const AXIS = 20;

/**
 * Per backend: a band while its breaker was open, a red mark at each trip, a green one at each reset, and amber ticks
 * where requests failed over from it. Drawn on the charts' time axis (same gutter, same width). Hover a mark for
 * its exact time and reason.
 */
export function TripTimeline({ lanes, from, to, width, colour }: { lanes: TimelineLane[]; from: number; to: number; width: number; colour: (id: string) => string }) {
  const styles = useStyles();
  const plot = Math.max(1, width - GUTTER - RIGHT);
  const x = (t: number) => GUTTER + ((Math.min(t, to) - from) / Math.max(1, to - from)) * plot;
  const height = lanes.length * LANE + AXIS;
  const red = tokens.colorPaletteRedBorderActive;
  return (
    <ChartFrame title="Trip timeline" note="breaker open, trips, resets and failovers" testId="trip-timeline">
      {lanes.length === 0 ? (
        <Caption1 className={styles.empty}>Start the gateway to see each backend&apos;s breaker here.</Caption1>
      ) : (
        <svg width={width} height={height} role="img" aria-label="Breaker state per backend over time">
          {timeTicks(from, to).map((t) => (
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
                  <rect key={s.from} data-testid={`timeline-band-${lane.backend}`} data-from={s.from} data-to={s.to} x={x(s.from)} y={mid - 7} width={Math.max(2, x(s.to) - x(s.from))} height={14} rx={2} fill={red} fillOpacity={0.3} stroke={red}>
                    <title>{`open ${fmtClock(s.from)} – ${fmtClock(s.to)}`}</title>
                  </rect>
                ))}
                {lane.markers.map((m, j) =>
                  m.kind === 'failover' ? (
                    <line key={`f${j}`} x1={x(m.t)} x2={x(m.t)} y1={mid + 4} y2={mid + 10} stroke={tokens.colorPaletteDarkOrangeBorderActive} strokeWidth={2}>
                      <title>{`${m.count} failover${m.count === 1 ? '' : 's'} from ${lane.backend} at ${fmtClock(m.t - 500)}`}</title>
                    </line>
                  ) : (
                    <g key={`m${j}`} data-testid={`timeline-${m.kind}-${lane.backend}`} data-t={m.t}>
                      <line x1={x(m.t)} x2={x(m.t)} y1={mid - 10} y2={mid + 10} stroke={m.kind === 'trip' ? red : tokens.colorPaletteGreenBorderActive} strokeWidth={2} />
                      {/* Shapes as well as colours (WCAG 1.4.1): a trip is a circle, a reset a square. */}
                      {m.kind === 'trip' ? (
                        <circle cx={x(m.t)} cy={mid - 10} r={3.5} fill={red}>
                          <title>{`trip ${lane.backend} at ${fmtClock(m.t)}${m.reason ? ` · ${m.reason}` : ''}`}</title>
                        </circle>
                      ) : (
                        <rect x={x(m.t) - 3.5} y={mid - 13.5} width={7} height={7} fill={tokens.colorPaletteGreenBorderActive}>
                          <title>{`reset ${lane.backend} at ${fmtClock(m.t)}${m.reason ? ` · ${m.reason}` : ''}`}</title>
                        </rect>
                      )}
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
          <svg width={10} height={10} aria-hidden>
            <circle cx={5} cy={5} r={4} fill={red} />
          </svg>{' '}
          trip
        </Caption1>
        <Caption1 className={styles.key}>
          <svg width={10} height={10} aria-hidden>
            <rect x={1} y={1} width={8} height={8} fill={tokens.colorPaletteGreenBorderActive} />
          </svg>{' '}
          reset
        </Caption1>
        <Caption1 className={styles.key}>
          <span className={styles.swatch} style={{ backgroundColor: tokens.colorPaletteDarkOrangeBorderActive, width: '3px' }} /> failover
        </Caption1>
      </div>
    </ChartFrame>
  );
}
