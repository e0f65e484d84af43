import { Body1, Button, Link, makeStyles, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, tokens } from '@fluentui/react-components';
import { ArrowSyncRegular, CopyRegular, OpenRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { ApplyReport } from '../../../../shared/contract/apim';
import { describeStep } from '../../../../shared/deploy/apply-events';
import { describeAzureError, portalUrl } from '../../store/deploy/selectors';

/*
 * What happened, in plain words: applied (with the portal link), stopped because someone changed the service since
 * the plan (re-plan), or failed and rolled back (what was put back, what was not).
 */
const useStyles = makeStyles({
  list: { margin: `${tokens.spacingVerticalXS} 0 0`, paddingLeft: tokens.spacingHorizontalXL },
  col: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  link: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

const ROLLBACK_WORDS = { restored: 'put back as it was', unchanged: 'holds what it held before, nothing to undo', failed: 'could NOT be put back' } as const;

/** The three final states, as the service holds them after a re-read (main/apim/rollback.ts `settle`). */
function finalTitle(report: ApplyReport): string {
  const service = report.target.service;
  if (report.final === 'only partly restored' || (report.final === undefined && !report.restored)) return `Apply failed: ${service} is only partly restored`;
  return `Apply failed and was rolled back: ${service} is as it was before (restored)`;
}

function DifferingList({ report }: { report: ApplyReport }) {
  const styles = useStyles();
  if (!report.differing || report.differing.length === 0) return null;
  return (
    <>
      <Body1>These resources differ from before the apply (read again after the rollback):</Body1>
      <ul className={styles.list} data-testid="deploy-differing-list">
        {report.differing.map((d) => (
          <li key={`${d.kind}:${d.id}`}>{d.message}</li>
        ))}
      </ul>
    </>
  );
}

export interface ApplyOutcomeProps {
  report: ApplyReport;
  tenant: string | null;
  onReplan(): void;
}

function PortalLink({ report, tenant }: { report: ApplyReport; tenant: string | null }) {
  const styles = useStyles();
  const href = portalUrl(report.target, report.target.endpoint, tenant);
  const [copied, setCopied] = useState(false);
  // The desktop window opens no new windows (locked down): copying the address always works.
  const copy = () => void navigator.clipboard?.writeText(href).then(() => setCopied(true), () => undefined);
  return (
    <span className={styles.link}>
      <Link href={href} target="_blank" rel="noopener noreferrer" data-testid="deploy-portal-link">
        Open {report.target.service} in the Azure portal <OpenRegular aria-hidden />
      </Link>
      <Button size="small" appearance="subtle" icon={<CopyRegular />} onClick={copy} data-testid="deploy-portal-copy">
        {copied ? 'Copied' : 'Copy link'}
      </Button>
    </span>
  );
}

function RollbackList({ report }: { report: ApplyReport }) {
  const styles = useStyles();
  if (report.rollback.length === 0) return <Body1>Nothing had been written before the failure, so nothing needed undoing.</Body1>;
  return (
    <ul className={styles.list} data-testid="deploy-rollback-list">
      {report.rollback.map((r, i) => {
        const failedStep = report.failed !== undefined && describeStep(report.failed.step) === describeStep(r.step);
        return (
          <li key={i} data-status={r.status}>
            {describeStep(r.step)}
            {failedStep ? ' (the step that failed)' : ''}: {ROLLBACK_WORDS[r.status]}
          </li>
        );
      })}
    </ul>
  );
}

export function ApplyOutcome({ report, tenant, onReplan }: ApplyOutcomeProps) {
  const styles = useStyles();
  const service = report.target.service;
  if (report.ok) {
    return (
      <MessageBar intent="success" layout="multiline" data-testid="deploy-applied">
        <MessageBarBody>
          <MessageBarTitle data-final="applied">{report.outcome === 'no-changes' ? `Nothing to apply: ${service} already matches the workspace` : `Applied to ${service}`}</MessageBarTitle>
          <div className={styles.col}>
            <Body1>
              {report.applied.length === 0 ? 'Nothing was written.' : `Written: ${report.applied.map(describeStep).join('; ')}.`}
            </Body1>
            <PortalLink report={report} tenant={tenant} />
          </div>
        </MessageBarBody>
      </MessageBar>
    );
  }
  if (report.outcome === 'changed-since-plan') {
    return (
      <MessageBar intent="warning" layout="multiline" data-testid="deploy-replan">
        <MessageBarBody>
          <MessageBarTitle>{service} was changed by someone else after this plan was made</MessageBarTitle>
          <div className={styles.col}>
            <Body1>
              {report.failed ? `${describeStep(report.failed.step)}: Azure holds a newer version than the one the plan read (412). ` : ''}
              Breakerboard stopped before overwriting it{report.applied.length > 0 ? ' and put back what it had already written' : ''}
              {report.restored ? `; ${service} is as it was before the apply.` : '; some changes could not be put back (see below).'}
            </Body1>
            <Body1>Plan again to review the current state of the service, then apply.</Body1>
            {report.applied.length > 0 && <RollbackList report={report} />}
          </div>
        </MessageBarBody>
        <MessageBarActions>
          <Button appearance="primary" icon={<ArrowSyncRegular />} onClick={onReplan} data-testid="deploy-replan-button">
            Plan again
          </Button>
        </MessageBarActions>
      </MessageBar>
    );
  }
  const why = report.failed ? describeAzureError('Apply', report.failed.message) : null;
  return (
    <MessageBar intent="error" layout="multiline" data-testid="deploy-rollback">
      <MessageBarBody>
        <MessageBarTitle data-final={report.final ?? (report.restored ? 'restored' : 'only partly restored')}>{finalTitle(report)}</MessageBarTitle>
        <div className={styles.col}>
          {report.failed && (
            <Body1 data-testid="deploy-rollback-cause">
              {describeStep(report.failed.step)} failed{why?.field ? ` (field ${why.field})` : ''}: {report.failed.message}
            </Body1>
          )}
          <Body1>{report.rollback.length > 0 ? 'Rollback, newest first:' : ''}</Body1>
          <RollbackList report={report} />
          <DifferingList report={report} />
          {!report.restored && <Body1>Check these resources in the portal: <PortalLink report={report} tenant={tenant} /></Body1>}
        </div>
      </MessageBarBody>
      <MessageBarActions>
        <Button icon={<ArrowSyncRegular />} onClick={onReplan} data-testid="deploy-replan-button">
          Plan again
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}
