import { DEMO_DRILL_YAML } from '../../../../shared/model/demo';

/*
 * Issue 15 item 5: what a user typed on the Simulate screen is their work, so it lives in the store (not in the
 * components, which forget it when the screen changes), one form per workspace.
 */
export interface FaultInputs {
  retryAfter: string;
  rate: string;
  factor: string;
}

export interface SimulateForm {
  rps: string;
  duration: string;
  stream: boolean;
  drillSource: 'text' | 'path';
  drillText: string;
  drillPath: string;
  drillSpeed: string;
  drillLive: boolean;
  faults: Record<string, FaultInputs>;
}

export const DEFAULT_FAULT_INPUTS: FaultInputs = { retryAfter: '3', rate: '50', factor: '10' };

export const defaultSimulateForm = (): SimulateForm => ({
  rps: '20',
  duration: '60',
  stream: false,
  drillSource: 'text',
  drillText: DEMO_DRILL_YAML,
  drillPath: 'demo.drill.yaml',
  drillSpeed: '10',
  drillLive: false,
  faults: {},
});

/** The key a workspace's form is kept under: its file, or the unsaved document. */
export const formKey = (path: string | null | undefined): string => path ?? '(unsaved)';

export type SimulateFormPatch = Partial<Omit<SimulateForm, 'faults'>> & { faults?: Record<string, Partial<FaultInputs>> };

export function patchForm(form: SimulateForm, patch: SimulateFormPatch): SimulateForm {
  const { faults, ...rest } = patch;
  const next = { ...form, ...rest };
  if (faults) {
    next.faults = { ...form.faults };
    for (const [id, f] of Object.entries(faults)) next.faults[id] = { ...DEFAULT_FAULT_INPUTS, ...form.faults[id], ...f };
  }
  return next;
}
