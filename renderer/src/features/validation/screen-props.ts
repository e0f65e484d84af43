import type { Workspace } from '../../../../shared/model/schema';
import type { Issues } from './issues-at';

/** An edit: a pure function of the current workspace (from `shared/edit`); the store applies it as one undo step. */
export type WorkspaceEdit = (ws: Workspace) => Workspace;

/**
 * `coalesceKey`: edits with the same key in quick succession (typing a number, dragging a slider) may become one
 * undo step — the store's `editWorkspace` option of the same name.
 */
export interface EditOptions {
  coalesceKey?: string;
}

export type EditFn = (edit: WorkspaceEdit, opts?: EditOptions) => void;

/** What every editor screen takes from the frame: the workspace, a way to change it, and its validation. */
export interface ScreenProps {
  workspace: Workspace;
  onEdit: EditFn;
  issues: Issues;
}
