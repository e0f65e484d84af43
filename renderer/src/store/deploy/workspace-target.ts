/*
 * The workspace's `target:` (DESIGN §1) and what an import puts into a workspace. Pure functions over the
 * workspace value, so the slice's edits are one undoable step each.
 */

type Value = Record<string, unknown>;

export interface WorkspaceTarget {
  subscription: string;
  resourceGroup: string;
  service: string;
  endpoint?: string;
}

export function targetOfWorkspace(value: Value | null): WorkspaceTarget | null {
  const t = value?.target as Partial<WorkspaceTarget> | undefined;
  if (!t || typeof t.subscription !== 'string' || typeof t.resourceGroup !== 'string' || typeof t.service !== 'string') return null;
  return { subscription: t.subscription, resourceGroup: t.resourceGroup, service: t.service, ...(typeof t.endpoint === 'string' ? { endpoint: t.endpoint } : {}) };
}

const sameTarget = (a: WorkspaceTarget | null, b: WorkspaceTarget) =>
  a !== null && a.subscription === b.subscription && a.resourceGroup === b.resourceGroup && a.service === b.service && a.endpoint === b.endpoint;

/** The draft with `target:` set; unchanged (same object) when it already says so, so no edit is recorded. */
export function withTarget(draft: Value, target: WorkspaceTarget): Value {
  if (sameTarget(targetOfWorkspace(draft), target)) return draft;
  draft.target = { ...target };
  return draft;
}

/**
 * The open workspace with what the service has: backends, pools and APIs are replaced by the imported ones,
 * `target:` points at the service; local-only settings (gateway, simulation of backends that still exist) stay.
 */
export function mergeImported(draft: Value, imported: Value): Value {
  const out: Value = { ...draft };
  for (const k of ['backends', 'pools', 'apis', 'target']) {
    if (imported[k] !== undefined) out[k] = structuredClone(imported[k]);
    else delete out[k];
  }
  if (out.backends === undefined) out.backends = {};
  const sim = draft.simulation as Value | undefined;
  if (sim && typeof sim === 'object') {
    const backends = out.backends as Value;
    const kept = Object.fromEntries(Object.entries(sim).filter(([id]) => id in backends));
    if (Object.keys(kept).length > 0) out.simulation = kept;
    else delete out.simulation;
  }
  return out;
}
