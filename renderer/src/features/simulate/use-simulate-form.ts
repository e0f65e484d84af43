import { useCallback } from 'react';
import { defaultSimulateForm, formKey, type SimulateForm, type SimulateFormPatch } from '../../store/monitor/simulate-form';
import { useAppStore } from '../../store/store-context';

const DEFAULT = defaultSimulateForm();

/** The open workspace's Simulate inputs from the store, and a setter: they outlive the screen (issue 15 item 5). */
export function useSimulateForm(): [SimulateForm, (patch: SimulateFormPatch) => void] {
  // Screens mounted over the Monitor slice alone (component tests) have no workspace: one form for all.
  const key = useAppStore((s) => formKey((s as Partial<typeof s>).workspace?.doc?.path));
  const form = useAppStore((s) => s.simulateForms[key]) ?? DEFAULT;
  const setForm = useAppStore((s) => s.setSimulateForm);
  const patch = useCallback((p: SimulateFormPatch) => setForm(key, p), [setForm, key]);
  return [form, patch];
}
