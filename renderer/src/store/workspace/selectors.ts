import type { AppState } from '../types';

const ws = (s: AppState) => s.workspace;

export const selectWorkspaceValue = (s: AppState) => ws(s).value;
export const selectWorkspaceName = (s: AppState) => ws(s).doc?.name ?? '';
export const selectWorkspacePath = (s: AppState) => ws(s).doc?.path ?? null;
/** Dirty while edits are still on their way too, so the marker never lags behind a keystroke. */
export const selectDirty = (s: AppState) => Boolean(ws(s).doc?.dirty) || ws(s).syncing;
export const selectCanUndo = (s: AppState) => ws(s).past.length > 0;
export const selectCanRedo = (s: AppState) => ws(s).future.length > 0;
export const selectBusy = (s: AppState) => ws(s).busy;
export const selectErrors = (s: AppState) => ws(s).doc?.errors ?? [];
export const selectWarnings = (s: AppState) => ws(s).doc?.warnings ?? [];
export const selectCounts = (s: AppState) => ws(s).doc?.counts ?? null;

type Member = { backend?: unknown; priority?: unknown; weight?: unknown };
export interface PoolRow {
  id: string;
  description: string | null;
  members: { backend: string; priority: number; weight: number }[];
}

/** The pools map as it is (a stable reference between renders); turn it into rows with `toPoolRows`. */
export const selectPoolsValue = (s: AppState) => ws(s).value?.pools;

/** Pools as rows for the overview, with APIM's defaults made visible (priority 1, weight 1). */
export function toPoolRows(value: unknown): PoolRow[] {
  const pools = (value && typeof value === 'object' ? value : {}) as Record<string, { description?: unknown; services?: unknown }>;
  return Object.entries(pools).map(([id, p]) => ({
    id,
    description: typeof p?.description === 'string' ? p.description : null,
    members: (Array.isArray(p?.services) ? (p.services as Member[]) : []).map((m) => ({
      backend: String(m?.backend ?? ''),
      priority: typeof m?.priority === 'number' ? m.priority : 1,
      weight: typeof m?.weight === 'number' ? m.weight : 1,
    })),
  }));
}
