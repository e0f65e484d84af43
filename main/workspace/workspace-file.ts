import { readFile, stat } from 'node:fs/promises';
import type { Document } from 'yaml';
import {
  formatFromPath,
  FILE_PATH,
  MAX_WORKSPACE_BYTES,
  parseWorkspaceText,
  serializeWorkspace,
  validateWorkspace,
  type Counts,
  type FileFormat,
  type Issue,
  type Workspace,
} from '../../shared/model';
import { writeFileAtomic } from './atomic-write';

export type LoadedWorkspace = {
  ok: true;
  path: string;
  format: FileFormat;
  text: string;
  doc: Document;
  workspace: Workspace;
  counts: Counts;
  warnings: Issue[];
};
export type LoadFailure = { ok: false; path: string; errors: Issue[]; warnings: Issue[] };

const fileError = (path: string, message: string): LoadFailure => ({ ok: false, path, errors: [{ path, message }], warnings: [] });

/** Reads text that must be UTF-8; a file that is not is reported, not guessed at. */
export async function readTextFile(path: string, maxBytes: number): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, message: code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? (e as Error).message})` };
  }
  if (info.isDirectory()) return { ok: false, message: 'is a directory, not a file' };
  // A device or FIFO (/dev/zero, a pipe) would be read forever: its size says nothing.
  if (!info.isFile()) return { ok: false, message: 'is not a regular file' };
  if (info.size > maxBytes) return { ok: false, message: `is larger than ${Math.round(maxBytes / 1024 / 1024)} MB; a workspace file is a few kilobytes` };
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    return { ok: false, message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, message: 'is not a text file (not UTF-8)' };
  }
}

/** Reads and validates a workspace file; never throws for a bad file, never writes. */
export async function loadWorkspaceFile(path: string): Promise<LoadedWorkspace | LoadFailure> {
  const read = await readTextFile(path, MAX_WORKSPACE_BYTES);
  if (!read.ok) return fileError(path, read.message);
  const parsed = parseWorkspaceText(read.text);
  // Problems of the file as a whole carry the file's own path, like read errors, so callers print one form.
  if (!parsed.ok) return { ok: false, path, errors: parsed.errors.map((e) => (e.path === FILE_PATH ? { ...e, path } : e)), warnings: [] };
  const result = validateWorkspace(parsed.value);
  if (!result.ok) return { ok: false, path, errors: result.errors, warnings: result.warnings };
  return {
    ok: true,
    path,
    format: formatFromPath(path),
    text: read.text,
    doc: parsed.doc,
    workspace: result.workspace,
    counts: result.counts,
    warnings: result.warnings,
  };
}

/**
 * Saves a workspace value over the file it came from (comments and key order kept), atomically. The value is
 * validated first: an invalid workspace is refused with its errors and the file is left as it was.
 */
export async function saveWorkspaceFile(
  path: string,
  value: unknown,
  original?: Document,
): Promise<{ ok: true } | { ok: false; errors: Issue[] }> {
  const result = validateWorkspace(value);
  if (!result.ok) return { ok: false, errors: result.errors };
  await writeFileAtomic(path, serializeWorkspace(value, formatFromPath(path), original));
  return { ok: true };
}
