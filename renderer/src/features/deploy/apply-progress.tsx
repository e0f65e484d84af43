import { Caption1, makeStyles, Spinner, tokens } from '@fluentui/react-components';
import { ArrowUndoRegular, CheckmarkCircleRegular, CircleRegular, DismissCircleRegular, WarningRegular } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import { KIND_LABEL } from '../../../../shared/deploy/apply-events';
import type { StepProgress } from '../../store/deploy/initial-state';

/** One line per resource of the apply: waiting, writing, written, failed, put back. */
const useStyles = makeStyles({
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  item: { display: 'grid', gridTemplateColumns: '20px minmax(0, 1fr)', columnGap: tokens.spacingHorizontalS, alignItems: 'start' },
  icon: { display: 'flex', paddingTop: '2px', fontSize: '16px' },
  ok: { color: tokens.colorPaletteGreenForeground1 },
  bad: { color: tokens.colorPaletteRedForeground1 },
  back: { color: tokens.colorPaletteDarkOrangeForeground1 },
  muted: { color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' },
});

const STATUS_TEXT: Record<StepProgress['status'], string> = {
  pending: 'waiting',
  running: 'writing…',
  done: 'written',
  failed: 'failed',
  'rolled-back': 'rolled back',
  'rollback-failed': 'NOT rolled back',
  'not-needed': 'not written',
};

export function ApplyProgress({ steps }: { steps: StepProgress[] }) {
  const styles = useStyles();
  const icon = (s: StepProgress['status']): ReactNode => {
    switch (s) {
      case 'running':
        return <Spinner size="extra-tiny" />;
      case 'done':
        return <CheckmarkCircleRegular className={styles.ok} />;
      case 'failed':
        return <DismissCircleRegular className={styles.bad} />;
      case 'rolled-back':
        return <ArrowUndoRegular className={styles.back} />;
      case 'rollback-failed':
        return <WarningRegular className={styles.bad} />;
      default:
        return <CircleRegular className={styles.muted} />;
    }
  };
  return (
    <ol className={styles.list} aria-label="Apply progress" data-testid="apply-progress">
      {steps.map((s) => (
        <li key={`${s.kind}:${s.id}`} className={styles.item} data-testid={`apply-step-${s.kind}-${s.id}`} data-status={s.status}>
          <span className={styles.icon} aria-hidden>
            {icon(s.status)}
          </span>
          <span>
            {s.action} {KIND_LABEL[s.kind as keyof typeof KIND_LABEL] ?? s.kind} <strong>{s.id}</strong>: {STATUS_TEXT[s.status]}
            {s.message && (
              <>
                <br />
                <Caption1 className={styles.muted}>{s.message}</Caption1>
              </>
            )}
          </span>
        </li>
      ))}
    </ol>
  );
}
