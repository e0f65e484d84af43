import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons';
import { describeAzureError } from '../../store/deploy/selectors';
import type { DeployError } from '../../store/deploy/initial-state';

/** A failed call in words: what was being done, Azure's own message, the field it concerns, and what to do. */
export function AzureErrorBar({ error, onDismiss }: { error: DeployError; onDismiss(): void }) {
  const view = describeAzureError(error.action, error.message, error.path);
  return (
    <MessageBar intent="error" layout="multiline" data-testid="deploy-error">
      <MessageBarBody>
        <MessageBarTitle>{view.title}</MessageBarTitle>
        {view.field && (
          <span data-testid="deploy-error-field">
            Field <code>{view.field}</code>:{' '}
          </span>
        )}
        {view.message}
        {view.hint && <div>{view.hint}</div>}
      </MessageBarBody>
      <MessageBarActions containerAction={<Button appearance="transparent" aria-label="Dismiss" icon={<DismissRegular />} onClick={onDismiss} />} />
    </MessageBar>
  );
}
