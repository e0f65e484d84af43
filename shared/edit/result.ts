import type { Workspace } from '../model/schema';

/** Where a backend or pool is referenced, with the path of the reference (so the UI can link to it). */
export interface Use {
  kind: 'pool' | 'api';
  id: string;
  path: string;
}

/**
 * Outcome of an edit that can be refused. Refusals say why in a sentence the UI shows as is, and list what is in
 * the way (e.g. the pools and apis that use a backend) so the user can fix those first.
 */
export type EditResult = { ok: true; workspace: Workspace } | { ok: false; message: string; usedBy?: Use[] };

export const done = (workspace: Workspace): EditResult => ({ ok: true, workspace });
export const refused = (message: string, usedBy?: Use[]): EditResult => (usedBy ? { ok: false, message, usedBy } : { ok: false, message });

/**
 * The workspace after a refusable edit, or the same reference when it was refused. Store reducers take this: an
 * unchanged reference lets the undo history skip a no-op entry.
 */
export function orUnchanged(ws: Workspace, result: EditResult): Workspace {
  return result.ok ? result.workspace : ws;
}

/** Ids of backends and pools share one APIM namespace (service/backends/{id}). */
export function idTaken(ws: Workspace, id: string): boolean {
  return id in (ws.backends ?? {}) || id in (ws.pools ?? {});
}
