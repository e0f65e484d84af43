import { tokens } from '@fluentui/react-components';
import { OTHER } from '../../store/monitor/chart-series';

/*
 * Series colours from the Fluent theme (CSS variables), so charts follow light and dark like the rest of the app.
 * A backend keeps its colour as long as it is listed in the same place: colours go by its index in the workspace.
 */
// Each at least 3:1 against the card background in both themes (WCAG 1.4.11): marigold, at 2.2:1 on white, is out.
const PALETTE = [
  tokens.colorPaletteBlueBorderActive,
  tokens.colorPalettePumpkinBorderActive,
  tokens.colorPaletteTealBorderActive,
  tokens.colorPaletteBerryBorderActive,
  tokens.colorPaletteLightGreenBorderActive,
  tokens.colorPalettePurpleBorderActive,
  tokens.colorPaletteBrownBorderActive,
  tokens.colorPaletteSteelBorderActive,
];

export function seriesColour(key: string, backends: readonly string[]): string {
  if (key === OTHER) return tokens.colorNeutralStroke1;
  const i = backends.indexOf(key);
  return PALETTE[(i < 0 ? 0 : i) % PALETTE.length]!;
}
