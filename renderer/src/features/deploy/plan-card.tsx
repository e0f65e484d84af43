import { Body1, Button, Caption1, Card, CardHeader, Checkbox, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Subtitle2, tokens } from '@fluentui/react-components';
import { ClipboardTaskListLtrRegular, CloudArrowUpRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { KIND_LABEL } from '../../../../shared/deploy/apply-events';
import { planCounts, planHasChanges, selectCanApply, selectPlanIsStale } from '../../store/deploy/selectors';
import { useAppStore } from '../../store/store-context';
import { ApplyOutcome } from './apply-outcome';
import { ApplyProgress } from './apply-progress';
import { ConfirmApplyDialog } from './confirm-apply-dialog';
import { PlanTree } from './plan-tree';

/*
 * Plan, review, apply. Nothing is written until Apply is confirmed; the plan is of what the editor shows, and it
 * says so when the workspace changed after it.
 */
const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
  list: { margin: `${tokens.spacingVerticalXS} 0 0`, paddingLeft: tokens.spacingHorizontalXL },
  muted: { color: tokens.colorNeutralForeground3 },
});

export function PlanCard() {
  const styles = useStyles();
  const d = useAppStore((s) => s.deploy);
  const makePlan = useAppStore((s) => s.makePlan);
  const applyPlan = useAppStore((s) => s.applyPlan);
  const canApply = useAppStore(selectCanApply);
  const stale = useAppStore(selectPlanIsStale);
  const [prune, setPrune] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const { plan, report, busy } = d;
  const ready = Boolean(d.account?.signedIn && d.pick.service) && busy === null;
  const counts = plan ? planCounts(plan) : null;
  const replan = () => void makePlan({ prune });

  return (
    <Card className={styles.card} data-testid="deploy-plan">
      <CardHeader
        header={<Subtitle2>Plan and apply</Subtitle2>}
        description={<Caption1 className={styles.muted}>Compares this workspace with the service, resource by resource and field by field. Nothing is written until you apply.</Caption1>}
      />
      <div className={styles.row}>
        <Button icon={<ClipboardTaskListLtrRegular />} appearance={plan ? 'secondary' : 'primary'} disabled={!ready} onClick={replan} data-testid="deploy-plan-button">
          {plan ? 'Plan again' : 'Plan'}
        </Button>
        <Checkbox checked={prune} onChange={(_, v) => setPrune(Boolean(v.checked))} label="Also delete backends the workspace no longer has" data-testid="deploy-prune" />
        {busy === 'planning' && <Spinner size="tiny" label="Reading the service…" />}
      </div>
      {plan && counts && (
        <>
          {stale && (
            <MessageBar intent="warning" data-testid="deploy-plan-stale">
              <MessageBarBody>The workspace changed after this plan was made: plan again to see what apply would write now.</MessageBarBody>
            </MessageBar>
          )}
          <Body1 data-testid="deploy-plan-summary">
            {planHasChanges(plan)
              ? `${counts.create} to create, ${counts.update} to update, ${counts.delete} to delete, ${counts.unchanged} unchanged — in ${plan.target.service}`
              : `No changes: ${plan.target.service} already matches the workspace (${counts.unchanged} resources checked).`}
          </Body1>
          {plan.warnings.length > 0 && (
            <MessageBar intent="warning" layout="multiline" data-testid="deploy-plan-warnings">
              <MessageBarBody>
                <MessageBarTitle>Before you apply</MessageBarTitle>
                <ul className={styles.list}>
                  {plan.warnings.map((w, i) => (
                    <li key={i}>
                      {KIND_LABEL[w.kind]} {w.id}: {w.message}
                    </li>
                  ))}
                </ul>
              </MessageBarBody>
            </MessageBar>
          )}
          {plan.blockers.length > 0 && (
            <MessageBar intent="error" layout="multiline" data-testid="deploy-plan-blockers">
              <MessageBarBody>
                <MessageBarTitle>Apply is not possible yet</MessageBarTitle>
                <ul className={styles.list}>
                  {plan.blockers.map((b, i) => (
                    <li key={i}>{b}</li>
                  ))}
                </ul>
              </MessageBarBody>
            </MessageBar>
          )}
          <PlanTree key={plan.planId} plan={plan} />
          {plan.notes.length > 0 && (
            <ul className={styles.list} data-testid="deploy-plan-notes">
              {plan.notes.map((n, i) => (
                <li key={i}>
                  <Caption1>{n}</Caption1>
                </li>
              ))}
            </ul>
          )}
          <div className={styles.row}>
            <Button appearance="primary" icon={<CloudArrowUpRegular />} disabled={!canApply || stale} onClick={() => setConfirming(true)} data-testid="deploy-apply">
              Apply to {plan.target.service}
            </Button>
            {busy === 'applying' && <Spinner size="tiny" label="Applying…" />}
          </div>
          {(busy === 'applying' || report) && d.progress.length > 0 && <ApplyProgress steps={d.progress} />}
          {report && <ApplyOutcome report={report} tenant={d.account?.tenant ?? null} onReplan={replan} />}
          <ConfirmApplyDialog
            plan={plan}
            open={confirming}
            onCancel={() => setConfirming(false)}
            onConfirm={() => {
              setConfirming(false);
              void applyPlan();
            }}
          />
        </>
      )}
    </Card>
  );
}
