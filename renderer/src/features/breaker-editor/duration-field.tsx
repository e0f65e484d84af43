import { Field, Input } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { formatDuration, parseDuration } from '../../../../shared/model/duration';
import { fieldDomId, useFieldValidation } from '../validation';

/**
 * An ISO 8601 duration as typed (PT1M), with its reading in words as the hint. The draft is pushed on every
 * keystroke, so a typo such as P1M is in the workspace and validation explains it right at this field.
 */
export function DurationField({ label, path, value, onChange, testId }: { label: string; path: string; value: string | undefined; onChange(v: string): void; testId: string }) {
  const [draft, setDraft] = useState(value ?? '');
  useEffect(() => setDraft(value ?? ''), [value]);
  const validation = useFieldValidation(path);
  const parsed = parseDuration(draft);
  return (
    <Field label={label} size="small" hint={parsed.ok ? `= ${formatDuration(parsed.ms)}` : 'ISO 8601, e.g. PT30S, PT1M, PT1H'} {...validation}>
      <Input
        id={fieldDomId(path)}
        value={draft}
        onChange={(_, d) => {
          setDraft(d.value);
          onChange(d.value.trim().toUpperCase());
        }}
        data-testid={testId}
      />
    </Field>
  );
}
