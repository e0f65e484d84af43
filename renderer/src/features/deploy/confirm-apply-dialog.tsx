import { Body1, Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, makeStyles, tokens } from '@fluentui/react-components';
import type { PlanView } from '../../../../shared/contract/apim';
import { describeStep } from '../../../../shared/deploy/apply-events';

/** The one confirmation before anything is written: it names the service and lists what will change. */
const useStyles = makeStyles({
  list: { margin: `${tokens.spacingVerticalS} 0`, paddingLeft: tokens.spacingHorizontalXL, maxHeight: '240px', overflow: 'auto' },
});

export function ConfirmApplyDialog({ plan, open, onCancel, onConfirm }: { plan: PlanView; open: boolean; onCancel(): void; onConfirm(): void }) {
  const styles = useStyles();
  const steps = plan.changes.filter((c) => c.action !== 'unchanged');
  const t = plan.target;
  return (
    <Dialog open={open} onOpenChange={(_, d) => !d.open && onCancel()} modalType="alert">
      <DialogSurface data-testid="deploy-confirm">
        <DialogBody>
          <DialogTitle>
            Apply {steps.length} change{steps.length === 1 ? '' : 's'} to {t.service}?
          </DialogTitle>
          <DialogContent>
            <Body1>
              This writes to the API Management service <strong>{t.service}</strong> in resource group <strong>{t.resourceGroup}</strong> (subscription {t.subscription}):
            </Body1>
            <ul className={styles.list}>
              {steps.map((c) => (
                <li key={`${c.kind}:${c.id}`}>{describeStep(c)}</li>
              ))}
            </ul>
            <Body1>If a step fails, what was already written is put back. If someone changed a resource since this plan, nothing of it is overwritten.</Body1>
          </DialogContent>
          <DialogActions>
            <Button onClick={onCancel} data-testid="deploy-confirm-cancel">
              Cancel
            </Button>
            <Button appearance="primary" onClick={onConfirm} data-testid="deploy-confirm-apply">
              Apply to {t.service}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
