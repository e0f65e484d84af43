import { makeStyles, Text, tokens } from '@fluentui/react-components';
import type { FieldProps } from '@fluentui/react-components';
import type { Issues } from './issues-at';
import { useIssuesAt } from './validation-context';

const useStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  error: { color: tokens.colorPaletteRedForeground1 },
  warning: { color: tokens.colorPaletteDarkOrangeForeground1 },
});

/** Messages for a field, each tagged with its own path (`field-error-<path>` / `field-warning-<path>`) for tests. */
export function IssueMessages({ issues }: { issues: Issues }) {
  const styles = useStyles();
  if (issues.errors.length + issues.warnings.length === 0) return null;
  return (
    <span className={styles.list}>
      {issues.errors.map((e, i) => (
        <Text key={`e${i}`} size={200} className={styles.error} data-testid={`field-error-${e.path}`} role="alert">
          {e.message}
        </Text>
      ))}
      {issues.warnings.map((w, i) => (
        <Text key={`w${i}`} size={200} className={styles.warning} data-testid={`field-warning-${w.path}`}>
          {w.message}
        </Text>
      ))}
    </span>
  );
}

/** Props for a Fluent `Field` showing the issues of `path` (error beats warning for the field's colour). */
export function useFieldValidation(path: string, exact = true): Pick<FieldProps, 'validationState' | 'validationMessage'> {
  const issues = useIssuesAt(path, exact);
  if (issues.errors.length + issues.warnings.length === 0) return {};
  return {
    validationState: issues.errors.length > 0 ? 'error' : 'warning',
    validationMessage: <IssueMessages issues={issues} />,
  };
}

/** Issues under a prefix shown as a block (for a card or a section without one input to attach them to). */
export function FieldIssues({ path, exact = true }: { path: string; exact?: boolean }) {
  const issues = useIssuesAt(path, exact);
  return <IssueMessages issues={issues} />;
}
