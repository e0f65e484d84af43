import { Combobox, Field, Option } from '@fluentui/react-components';
import { useEffect, useMemo, useState } from 'react';

/*
 * One step of the target picker: a combobox that filters as you type (a tenant can have hundreds of resource
 * groups), shows the remembered choice, and says why it is empty.
 */

export interface PickerItem {
  value: string;
  label: string;
  /** Shown under the label (location, SKU, id). */
  detail?: string;
}

export interface SearchablePickerProps {
  label: string;
  items: PickerItem[] | null;
  value: string | null;
  onChange(value: string | null): void;
  disabled?: boolean;
  /** Why the list is empty or disabled, e.g. "Pick a subscription first". */
  hint?: string;
  testId: string;
}

export function SearchablePicker({ label, items, value, onChange, disabled, hint, testId }: SearchablePickerProps) {
  const selected = items?.find((i) => i.value === value);
  const [query, setQuery] = useState(selected?.label ?? value ?? '');
  // Follow the store: a remembered target arrives after the list, a sign-out clears it.
  useEffect(() => setQuery(selected?.label ?? value ?? ''), [selected?.label, value]);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    const list = items ?? [];
    if (!q || q === selected?.label.toLowerCase()) return list;
    return list.filter((i) => `${i.label} ${i.value} ${i.detail ?? ''}`.toLowerCase().includes(q));
  }, [items, query, selected]);
  const empty = !disabled && items !== null && items.length === 0;
  return (
    <Field label={label} hint={empty ? 'None found here.' : hint}>
      <Combobox
        data-testid={testId}
        aria-label={label}
        placeholder={disabled ? '' : items === null ? 'Loading…' : `Search ${label.toLowerCase()}`}
        disabled={disabled || items === null}
        value={query}
        selectedOptions={value ? [value] : []}
        onChange={(e) => setQuery(e.target.value)}
        onOptionSelect={(_, d) => {
          setQuery(d.optionText ?? '');
          onChange(d.optionValue ?? null);
        }}
        clearable
      >
        {shown.map((i) => (
          <Option key={i.value} value={i.value} text={i.label} data-testid={`${testId}-option-${i.value}`}>
            {i.detail ? `${i.label} — ${i.detail}` : i.label}
          </Option>
        ))}
        {shown.length === 0 && items !== null && items.length > 0 && (
          <Option key="__none" value="" text="" disabled>
            {`No match for "${query}"`}
          </Option>
        )}
      </Combobox>
    </Field>
  );
}
