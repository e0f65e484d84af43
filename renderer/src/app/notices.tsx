import { Button, makeStyles, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, tokens } from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons';
import { useEffect, useRef } from 'react';
import { selectNotices } from '../store/session/selectors';
import { useAppStore } from '../store/store-context';
import { selectErrors } from '../store/workspace/selectors';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, marginBottom: tokens.spacingVerticalL, maxWidth: '1100px' },
});

const SUCCESS_MS = 4000;

/** Outcomes of file operations. Errors stay until dismissed; confirmations go away on their own. */
export function Notices() {
  const styles = useStyles();
  const notices = useAppStore(selectNotices);
  const dismiss = useAppStore((s) => s.dismissNotice);
  const valid = useAppStore((s) => selectErrors(s).length === 0);
  // A save refused for validation errors is moot once they are fixed: the banner goes with them.
  const wasValid = useRef(valid);
  useEffect(() => {
    if (valid && !wasValid.current) for (const n of notices) if (n.untilValid) dismiss(n.id);
    wasValid.current = valid;
  }, [valid, notices, dismiss]);
  useEffect(() => {
    const timers = notices.filter((n) => n.intent === 'success').map((n) => setTimeout(() => dismiss(n.id), SUCCESS_MS));
    return () => timers.forEach(clearTimeout);
  }, [notices, dismiss]);
  if (notices.length === 0) return null;
  return (
    <div className={styles.stack} role="status" aria-live="polite">
      {notices.map((n) => (
        <MessageBar key={n.id} intent={n.intent} data-testid={`notice-${n.intent}`}>
          <MessageBarBody>
            <MessageBarTitle>{n.title}</MessageBarTitle>
            {n.message}
          </MessageBarBody>
          <MessageBarActions containerAction={<Button appearance="transparent" aria-label="Dismiss" icon={<DismissRegular />} onClick={() => dismiss(n.id)} />} />
        </MessageBar>
      ))}
    </div>
  );
}
