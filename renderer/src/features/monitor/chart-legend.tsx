import { Caption1, makeStyles, tokens } from '@fluentui/react-components';
import { OTHER } from '../../store/monitor/chart-series';
import { GUTTER } from './chart-frame';
import { seriesColour } from './series-colours';

const useStyles = makeStyles({
  legend: { display: 'flex', flexWrap: 'wrap', gap: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalL}`, paddingLeft: `${GUTTER}px`, margin: 0, listStyleType: 'none' },
  key: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS, color: tokens.colorNeutralForeground2 },
  swatch: { display: 'inline-block', width: '16px', height: '10px', borderRadius: '2px' },
  line: { display: 'inline-block', width: '16px', height: '3px' },
});

/** The charts' key: each backend's colour by name (colour is never the only signal: the names are in the tooltips too). */
export function ChartLegend({ keys, ids }: { keys: readonly string[]; ids: readonly string[] }) {
  const styles = useStyles();
  return (
    <ul className={styles.legend} aria-label="Chart legend" data-testid="chart-legend">
      <li className={styles.key}>
        <span className={styles.line} style={{ backgroundColor: tokens.colorNeutralForeground1 }} aria-hidden />
        <Caption1>clients (success rate)</Caption1>
      </li>
      {keys.map((k) => (
        <li key={k} className={styles.key} data-testid={`legend-${k}`}>
          <span className={styles.swatch} style={{ backgroundColor: seriesColour(k, ids) }} aria-hidden />
          <Caption1>{k === OTHER ? 'other backends' : k}</Caption1>
        </li>
      ))}
    </ul>
  );
}
