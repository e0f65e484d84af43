import { access } from 'node:fs/promises';
import { basename, isAbsolute, resolve } from 'node:path';
import type { Document } from 'yaml';
import { ContractError, type ValidationReport, type WorkspaceService, type WorkspaceState } from '../../shared/contract';
import {
  DEMO_WORKSPACE_YAML,
  FILE_PATH,
  formatFromPath,
  looksLikeWorkspace,
  MAX_WORKSPACE_BYTES,
  NESTED_TOO_DEEP,
  nestedDeeperThan,
  parseWorkspaceText,
  serializeWorkspace,
  validateWorkspace,
  type FileFormat,
} from '../../shared/model';
import { removeStaleTemps, writeFileAtomic } from '../workspace/atomic-write';
import { checkSaveTarget } from '../workspace/save-target';
import { readTextFile } from '../workspace/workspace-file';
import { createEmitter, createSerialQueue } from './emitter';
import type { RecentWorkspaceMemory } from './recent-workspace';
import { stableJson } from '../../shared/contract/stable-json';

/** Native pickers (desktop). Resolve to null when the user cancels. Absent in serve mode. */
export interface FileDialogs {
  pickOpenPath(): Promise<string | null>;
  pickSavePath(suggestedName: string): Promise<string | null>;
}

export interface WorkspaceServiceOptions {
  /** Where relative paths resolve (serve: the folder it was started in). */
  cwd: string;
  dialogs?: FileDialogs;
  memory?: RecentWorkspaceMemory;
}

export const DEMO_NAME = 'Demo workspace';

type Doc = { path: string | null; format: FileFormat; doc: Document | undefined; value: Record<string, unknown>; saved: string };

const exists = (p: string) => access(p).then(() => true, () => false);

function report(value: unknown): ValidationReport {
  const result = validateWorkspace(value);
  const raw = (value ?? {}) as Record<string, unknown>;
  const size = (k: string) => (raw[k] && typeof raw[k] === 'object' ? Object.keys(raw[k] as object).length : 0);
  return {
    valid: result.ok,
    errors: result.errors,
    warnings: result.warnings,
    counts: { backends: size('backends'), pools: size('pools'), apis: size('apis') },
  };
}

function parseOrThrow(text: string, where: string): { doc: Document; value: Record<string, unknown> } {
  const parsed = parseWorkspaceText(text);
  if (!parsed.ok) {
    const first = parsed.errors[0]!;
    throw new ContractError('invalid-workspace', `${where}: ${first.path}: ${first.message}`, first.path);
  }
  return { doc: parsed.doc, value: parsed.value as Record<string, unknown> };
}

export type WorkspaceServiceImpl = WorkspaceService & {
  /** Opens the remembered workspace if it still loads, else the demo (desktop start-up). */
  openLastOrDemo(): Promise<WorkspaceState>;
  /** The value as it is now (the gateway and secrets read it). */
  value(): Record<string, unknown>;
};

export function createWorkspaceService(opts: WorkspaceServiceOptions): WorkspaceServiceImpl {
  const changed = createEmitter<WorkspaceState>();
  const serial = createSerialQueue();
  let documentId = 0;
  let revision = 0;
  let current: Doc = demoDoc();

  function demoDoc(): Doc {
    const { doc, value } = parseOrThrow(DEMO_WORKSPACE_YAML, 'built-in demo');
    return { path: null, format: 'yaml', doc, value, saved: stableJson(value) };
  }

  function state(): WorkspaceState {
    const r = report(current.value);
    return {
      documentId,
      revision,
      path: current.path,
      name: current.path ? basename(current.path) : DEMO_NAME,
      format: current.format,
      workspace: current.value,
      dirty: stableJson(current.value) !== current.saved,
      ...r,
    };
  }

  function replace(next: Doc, newDocument: boolean): WorkspaceState {
    current = next;
    if (newDocument) documentId += 1;
    revision += 1;
    const s = state();
    changed.emit(s);
    return s;
  }

  const absolute = (p: string) => (isAbsolute(p) ? p : resolve(opts.cwd, p));

  async function openPath(path: string): Promise<WorkspaceState> {
    const read = await readTextFile(path, MAX_WORKSPACE_BYTES);
    if (!read.ok) throw new ContractError(read.message === 'file not found' ? 'not-found' : 'io', `${path}: ${read.message}`);
    // A file with validation errors still opens (the editor shows them at their fields); unreadable YAML does not,
    // and neither does anything that is not meant as a workspace. Nothing of the file's text is echoed back: a
    // syntax error is told by position, since the path may name any file the user (or a page) asked for.
    const parsed = parseWorkspaceText(read.text);
    if (!parsed.ok) {
      const first = parsed.errors[0]!;
      const what = first.path === FILE_PATH ? first.message : `is not valid YAML or JSON (${first.path})`;
      throw new ContractError('invalid-workspace', `${path}: not opened: ${what}`);
    }
    if (!looksLikeWorkspace(parsed.value)) {
      throw new ContractError('invalid-workspace', `${path}: not opened: is not a Breakerboard workspace (a workspace starts with "version: 1" and has backends, pools and apis)`);
    }
    const doc = parsed.doc;
    const value = parsed.value as Record<string, unknown>;
    await removeStaleTemps(path);
    const s = replace({ path, format: formatFromPath(path), doc, value, saved: stableJson(value) }, true);
    await opts.memory?.set(path).catch(() => undefined);
    return s;
  }

  async function writeTo(path: string, replaceNonWorkspace = false): Promise<WorkspaceState> {
    const refusal = await checkSaveTarget(path, { replaceNonWorkspace });
    if (refusal) throw new ContractError(refusal.kind === 'bad-name' ? 'bad-request' : 'exists', `not saved: ${refusal.message}`);
    const result = validateWorkspace(current.value);
    if (!result.ok) {
      const first = result.errors[0]!;
      const more = result.errors.length > 1 ? ` (and ${result.errors.length - 1} more)` : '';
      throw new ContractError('invalid-workspace', `not saved: ${first.path}: ${first.message}${more}`, first.path);
    }
    const format = formatFromPath(path);
    const text = serializeWorkspace(current.value, format, current.doc);
    try {
      await writeFileAtomic(path, text);
    } catch (e) {
      throw new ContractError('io', `${path}: cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    // The next save splices into what is on disk now, so its diff is only its own edit.
    const reread = parseWorkspaceText(text);
    const doc = reread.ok ? reread.doc : current.doc;
    const pathChanged = path !== current.path;
    const s = replace({ ...current, doc, path, format, saved: stableJson(current.value) }, false);
    if (pathChanged) await opts.memory?.set(path).catch(() => undefined);
    return s;
  }

  async function saveAs(input: { path?: string; overwrite?: boolean; replaceNonWorkspace?: boolean }): Promise<WorkspaceState> {
    let path: string;
    if (input.path !== undefined) {
      path = absolute(input.path);
      if (path !== current.path && !input.overwrite && (await exists(path))) {
        throw new ContractError('exists', `${path} already exists; confirm to overwrite it`);
      }
    } else {
      if (!opts.dialogs) throw new ContractError('needs-path', 'choose a file to save the workspace to');
      const suggested = current.path ? basename(current.path) : 'workspace.yaml';
      const picked = await opts.dialogs.pickSavePath(suggested);
      if (!picked) throw new ContractError('cancelled', 'save cancelled');
      path = picked; // the native dialog has already asked about overwriting
    }
    return writeTo(path, input.replaceNonWorkspace === true);
  }

  return {
    current: async () => state(),
    open: (input) =>
      serial(async () => {
        if (input.path !== undefined) return openPath(absolute(input.path));
        if (!opts.dialogs) throw new ContractError('needs-path', 'type the path of the workspace file to open');
        const picked = await opts.dialogs.pickOpenPath();
        if (!picked) throw new ContractError('cancelled', 'open cancelled');
        return openPath(picked);
      }),
    newFromDemo: () => serial(async () => replace(demoDoc(), true)),
    update: (input) =>
      serial(async () => {
        // Before anything walks it recursively (the IPC path has no HTTP layer to refuse it first).
        if (nestedDeeperThan(input.workspace)) throw new ContractError('bad-request', `the workspace ${NESTED_TOO_DEEP}`);
        if (stableJson(input.workspace) === stableJson(current.value)) return state();
        return replace({ ...current, value: structuredClone(input.workspace) }, false);
      }),
    save: () => serial(async () => (current.path ? writeTo(current.path) : saveAs({}))),
    saveAs: (input) => serial(() => saveAs(input)),
    validate: async (input) => report(input.workspace ?? current.value),
    onChanged: (listener) => changed.on(listener),
    openLastOrDemo: () =>
      serial(async () => {
        const last = await opts.memory?.get();
        if (last) {
          try {
            return await openPath(last);
          } catch {
            // The remembered file moved or broke: start on the demo rather than on an error.
          }
        }
        return replace(demoDoc(), true);
      }),
    value: () => current.value,
  };
}
