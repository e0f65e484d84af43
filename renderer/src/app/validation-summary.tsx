import { Badge, Button, Caption1, makeStyles, Popover, PopoverSurface, PopoverTrigger, Text, tokens } from '@fluentui/react-components';
import { useAppStore } from '../store/store-context';
import { selectErrors, selectWarnings } from '../store/workspace/selectors';

const useStyles = makeStyles({
  surface: { maxWidth: '640px', maxHeight: '360px', overflowY: 'auto', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  // One line in a narrow header (200 % zoom) rather than a badge two lines tall.
  badge: { whiteSpace: 'nowrap', flexShrink: 0 },
  path: { display: 'block', fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all', color: tokens.colorNeutralForeground2 },
});

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The header's validation count; opens the list of every error and warning with its path. */
export function ValidationSummary() {
  const styles = useStyles();
  const errors = useAppStore(selectErrors);
  const warnings = useAppStore(selectWarnings);
  if (errors.length === 0 && warnings.length === 0) {
    return (
      <Badge color="success" appearance="tint" data-testid="validation-summary" className={styles.badge}>
        Valid
      </Badge>
    );
  }
  const label = [errors.length > 0 && plural(errors.length, 'error'), warnings.length > 0 && plural(warnings.length, 'warning')].filter(Boolean).join(', ');
  return (
    <Popover withArrow positioning="below-end">
      <PopoverTrigger disableButtonEnhancement>
        <Button size="small" appearance="subtle" data-testid="validation-summary" aria-label={`Validation: ${label}`} className={styles.badge}>
          <Badge color={errors.length > 0 ? 'danger' : 'warning'} appearance="tint" className={styles.badge}>
            {label}
          </Badge>
        </Button>
      </PopoverTrigger>
      <PopoverSurface className={styles.surface} aria-label="Validation results" data-testid="validation-list">
        {[
          { title: 'Errors (saving is refused until they are fixed)', items: errors },
          { title: 'Warnings', items: warnings },
        ]
          .filter((g) => g.items.length > 0)
          .map((g) => (
            <div key={g.title}>
              <Text weight="semibold">{g.title}</Text>
              <ul className={styles.list}>
                {g.items.map((i, n) => (
                  <li key={n}>
                    <Caption1 className={styles.path}>{i.path}</Caption1>
                    <Caption1>{i.message}</Caption1>
                  </li>
                ))}
              </ul>
            </div>
          ))}
      </PopoverSurface>
    </Popover>
  );
}
