import { ContractError, stableJson, type WorkspaceState } from '../../../../shared/contract';
import type { SliceContext } from '../types';
import { createLatestSender } from './latest-sender';

export type WorkspaceValue = Record<string, unknown>;

export interface WorkspaceView {
  /** The main side's last word: path, name, dirty, validation. null until loaded. */
  doc: WorkspaceState | null;
  /** What the editors show: the main side's value plus edits not yet acknowledged. */
  value: WorkspaceValue | null;
  past: WorkspaceValue[];
  future: WorkspaceValue[];
  /** Edits with the same key within COALESCE_MS become one undo step (typing a number, dragging a slider). */
  lastEdit: { key: string; at: number } | null;
  syncing: boolean;
  busy: 'saving' | 'opening' | null;
}

export interface WorkspaceSlice {
  workspace: WorkspaceView;
  /** Takes the main side's state (an answer or a `changed` event); a new document starts a fresh history. */
  applyWorkspaceState(state: WorkspaceState): void;
  /** Changes the workspace: the recipe edits a copy (or returns a new value); undoable; sent to the main side. */
  editWorkspace(recipe: (draft: WorkspaceValue) => WorkspaceValue | void, opts?: { coalesceKey?: string }): void;
  undo(): void;
  redo(): void;
  /** Saves to the document's file. Resolves to false when it did not happen (the reason is in a notice or a prompt). */
  saveWorkspace(): Promise<boolean>;
  saveWorkspaceAs(path?: string, overwrite?: boolean): Promise<boolean>;
  openWorkspace(path?: string): Promise<boolean>;
  newFromDemo(): Promise<boolean>;
  /** Re-reads the main side's state (after boot or a reconnect). */
  refreshWorkspace(): Promise<void>;
}

export const HISTORY_LIMIT = 200;
export const COALESCE_MS = 1000;

export const workspaceInitialState: WorkspaceView = { doc: null, value: null, past: [], future: [], lastEdit: null, syncing: false, busy: null };

export function createWorkspaceSlice(ctx: SliceContext): WorkspaceSlice {
  const { set, get, api } = ctx;
  const patch = (p: Partial<WorkspaceView>) => set((s) => ({ workspace: { ...s.workspace, ...p } }));

  const sender = createLatestSender<WorkspaceValue>(
    async (value) => {
      try {
        get().applyWorkspaceState(await api.workspace.update({ workspace: value }));
      } catch (e) {
        get().notify({ intent: 'error', title: 'Edit not applied', message: (e as Error).message });
      }
    },
    (syncing) => patch({ syncing }),
  );

  const setValue = (value: WorkspaceValue, past: WorkspaceValue[], future: WorkspaceValue[], lastEdit: WorkspaceView['lastEdit']) => {
    patch({ value, past, future, lastEdit });
    sender.push(value);
  };

  /** Runs a file operation; turns the expected refusals into a prompt or a notice instead of a thrown error. */
  async function fileOp(kind: 'saving' | 'opening', run: () => Promise<WorkspaceState>, onNeedsPath: () => void, done?: string): Promise<boolean> {
    patch({ busy: kind });
    try {
      await sender.idle();
      const state = await run();
      get().applyWorkspaceState(state);
      if (done) get().notify({ intent: 'success', title: done, message: state.path ?? state.name });
      return true;
    } catch (e) {
      const code = e instanceof ContractError ? e.code : 'internal';
      if (code === 'cancelled') return false;
      if (code === 'needs-path') onNeedsPath();
      else if (code === 'exists') get().openPathPrompt({ mode: 'save', existing: (e as Error).message });
      else get().notify({ intent: 'error', title: kind === 'saving' ? 'Not saved' : 'Not opened', message: (e as Error).message, ...(code === 'invalid-workspace' ? { untilValid: true } : {}) });
      return false;
    } finally {
      patch({ busy: null });
    }
  }

  return {
    workspace: workspaceInitialState,

    applyWorkspaceState(state) {
      const ws = get().workspace;
      if (!ws.doc || state.documentId !== ws.doc.documentId) {
        patch({ doc: state, value: state.workspace, past: [], future: [], lastEdit: null });
        return;
      }
      if (state.revision < ws.doc.revision) return; // an older answer overtaken by a newer event
      // While our own edits are on their way, the local value is ahead: keep it, take only the metadata.
      const external = !sender.busy() && ws.value !== null && stableJson(state.workspace) !== stableJson(ws.value);
      patch(external ? { doc: state, value: state.workspace } : { doc: state });
    },

    editWorkspace(recipe, opts) {
      const { value, past, lastEdit } = get().workspace;
      if (!value) return;
      const draft = structuredClone(value);
      const next = recipe(draft) ?? draft;
      if (stableJson(next) === stableJson(value)) return;
      const now = ctx.env.now();
      const key = opts?.coalesceKey;
      const merge = key !== undefined && lastEdit?.key === key && now - lastEdit.at < COALESCE_MS && past.length > 0;
      const nextPast = merge ? past : [...past, value].slice(-HISTORY_LIMIT);
      setValue(next, nextPast, [], key !== undefined ? { key, at: now } : null);
    },

    undo() {
      const { value, past, future } = get().workspace;
      const prev = past[past.length - 1];
      if (!value || !prev) return;
      setValue(prev, past.slice(0, -1), [value, ...future], null);
    },

    redo() {
      const { value, past, future } = get().workspace;
      const [next, ...rest] = future;
      if (!value || !next) return;
      setValue(next, [...past, value], rest, null);
    },

    saveWorkspace: () => fileOp('saving', () => api.workspace.save(), () => get().openPathPrompt({ mode: 'save' }), 'Saved'),
    saveWorkspaceAs: (path, overwrite) =>
      fileOp('saving', () => api.workspace.saveAs(path === undefined ? {} : { path, overwrite }), () => get().openPathPrompt({ mode: 'save' }), 'Saved'),
    openWorkspace: (path) => fileOp('opening', () => api.workspace.open(path === undefined ? {} : { path }), () => get().openPathPrompt({ mode: 'open' })),
    newFromDemo: () => fileOp('opening', () => api.workspace.newFromDemo(), () => undefined),

    async refreshWorkspace() {
      get().applyWorkspaceState(await api.workspace.current());
    },
  };
}
