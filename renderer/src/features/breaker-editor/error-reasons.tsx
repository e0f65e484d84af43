import { Button, Field, Input, makeStyles, Tag, TagGroup, Text, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { usePendingFocus } from '../../app/focus-return';
import { addErrorReason, removeErrorReason } from '../../../../shared/edit/breaker';
import { FieldIssues, type EditFn } from '../validation';

const useStyles = makeStyles({ row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-end', flexWrap: 'wrap' } });

/** Error reasons as chips. They are exported to APIM as written (B4); the local gateway does not match them. */
export function ErrorReasons({ backendId, reasons, path, onEdit }: { backendId: string; reasons: string[]; path: string; onEdit: EditFn }) {
  const styles = useStyles();
  const [text, setText] = useState('');
  // Focus goes to the next chip, else the previous one, else the reason input: never to <body>.
  const focusLater = usePendingFocus();
  const dismiss = (reason: string) => {
    const i = reasons.indexOf(reason);
    const chip = (r: string | undefined) => (r === undefined ? [] : [`reason-chip-${r}`]);
    focusLater([...chip(reasons[i + 1]), ...chip(reasons[i - 1]), 'reason-input']);
    onEdit((ws) => removeErrorReason(ws, backendId, reason));
  };
  const add = () => {
    onEdit((ws) => addErrorReason(ws, backendId, text));
    setText('');
  };
  return (
    <div>
      <Text weight="semibold" block>
        Error reasons
      </Text>
      <TagGroup aria-label="Error reasons" onDismiss={(_, d) => dismiss(String(d.value))}>
        {reasons.map((r) => (
          <Tag key={r} value={r} dismissible dismissIcon={{ 'aria-label': `remove ${r}` }} data-testid={`reason-chip-${r}`}>
            {r}
          </Tag>
        ))}
      </TagGroup>
      <div className={styles.row}>
        <Field label="Error reason" size="small" hint='Kept as written and exported to APIM, e.g. "Server errors", "timeout".'>
          <Input value={text} onChange={(_, d) => setText(d.value)} onKeyDown={(e) => e.key === 'Enter' && add()} data-testid="reason-input" />
        </Field>
        <Button size="small" disabled={!text.trim()} onClick={add} data-testid="reason-add">
          Add reason
        </Button>
      </div>
      <FieldIssues path={path} exact={false} />
    </div>
  );
}
