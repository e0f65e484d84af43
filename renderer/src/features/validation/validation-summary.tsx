import { Badge, makeStyles, Text, tokens } from '@fluentui/react-components';
import { issuesAt, fieldDomId, type Issues } from './issues-at';

const useStyles = makeStyles({
  root: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL, fontSize: tokens.fontSizeBase200 },
  path: { fontFamily: tokens.fontFamilyMonospace },
});

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Counts (and optionally the list) of issues under a prefix; an entry focuses its field when that has an id. */
export function ValidationSummary({ issues, prefix, showList = false }: { issues: Issues; prefix?: string; showList?: boolean }) {
  const styles = useStyles();
  const found = prefix ? issuesAt(issues, prefix) : issues;
  const focus = (path: string) => document.getElementById(fieldDomId(path))?.focus();
  return (
    <div className={styles.root} data-testid={prefix ? `validation-summary-${prefix}` : 'screen-validation-summary'}>
      <Badge appearance={found.errors.length ? 'filled' : 'outline'} color={found.errors.length ? 'danger' : 'success'} data-testid="validation-error-count">
        {plural(found.errors.length, 'error')}
      </Badge>
      <Badge appearance="outline" color={found.warnings.length ? 'warning' : 'informative'} data-testid="validation-warning-count">
        {plural(found.warnings.length, 'warning')}
      </Badge>
      {showList && found.errors.length + found.warnings.length > 0 && (
        <ul className={styles.list}>
          {[...found.errors.map((i) => ({ ...i, kind: 'error' })), ...found.warnings.map((i) => ({ ...i, kind: 'warning' }))].map((i, n) => (
            <li key={n}>
              <Text size={200}>
                {i.kind}:{' '}
                <a href={`#${fieldDomId(i.path)}`} className={styles.path} onClick={(e) => { e.preventDefault(); focus(i.path); }}>
                  {i.path}
                </a>
                : {i.message}
              </Text>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
