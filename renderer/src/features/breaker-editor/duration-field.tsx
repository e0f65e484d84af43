import { Field, Input } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { formatDuration, parseDuration } from '../../../../shared/model/duration';
import { fieldDomId, useFieldValidation } from '../validation';
import { readDurationInput } from './duration-input';

/**
 * An ISO 8601 duration as typed (PT1M), with its reading in words as the hint. The draft is pushed on every
 * keystroke, so a typo such as P1M is in the workspace and validation explains it right at this field.
 */
export function DurationField({ label, path, value, onChange, testId }: { label: string; path: string; value: string | undefined; onChange(v: string): void; testId: string }) {
  const [draft, setDraft] = useState(value ?? '');
  useEffect(() => setDraft(value ?? ''), [value]);
  const validation = useFieldValidation(path);
  const read = readDurationInput(draft);
  const parsed = parseDuration(read.value);
  const hint = parsed.ok ? `= ${formatDuration(parsed.ms)}${read.readAs ? ` (saved as ${read.readAs})` : ''}` : 'ISO 8601 such as PT30S, PT1M, PT1H, or 30s, 1m, 1h';
  return (
    <Field label={label} size="small" hint={hint} {...validation}>
      <Input
        id={fieldDomId(path)}
        value={draft}
        onChange={(_, d) => {
          setDraft(d.value);
          onChange(readDurationInput(d.value).value);
        }}
        data-testid={testId}
      />
    </Field>
  );
}
