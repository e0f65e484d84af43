import { lstat, realpath } from 'node:fs/promises';
import { looksLikeWorkspace, MAX_WORKSPACE_BYTES, parseWorkspaceText } from '../../shared/model';
import { readTextFile } from './workspace-file';

/*
 * Where a save may write (issue 14, serve mode and the desktop alike): only to a `.yaml`, `.yml` or `.json` path;
 * over an existing file only when it is a workspace, unless the caller confirmed replacing that very file; through
 * a symbolic link only when the file it points at is itself a workspace (a confirmation never reaches through a
 * link). The reasons name the path, never the content.
 */
export type SaveRefusal = { kind: 'bad-name' | 'not-workspace' | 'symlink' | 'not-file'; message: string };

export const WORKSPACE_EXTENSIONS = /\.(?:ya?ml|json)$/i;

async function isWorkspaceFile(path: string): Promise<boolean> {
  const read = await readTextFile(path, MAX_WORKSPACE_BYTES);
  if (!read.ok) return false;
  const parsed = parseWorkspaceText(read.text);
  return parsed.ok && looksLikeWorkspace(parsed.value);
}

export async function checkSaveTarget(path: string, opts: { replaceNonWorkspace?: boolean } = {}): Promise<SaveRefusal | null> {
  if (!WORKSPACE_EXTENSIONS.test(path)) return { kind: 'bad-name', message: `${path}: a workspace is saved only to a file ending in .yaml, .yml or .json` };
  const info = await lstat(path).catch(() => undefined);
  if (!info) return null;
  if (info.isSymbolicLink()) {
    const target = await realpath(path).catch(() => undefined);
    const ok = target !== undefined && WORKSPACE_EXTENSIONS.test(target) && (await isWorkspaceFile(target));
    return ok ? null : { kind: 'symlink', message: `${path} is a symbolic link to a file that is not a Breakerboard workspace; it is not written through` };
  }
  if (!info.isFile()) return { kind: 'not-file', message: `${path} is not a regular file` };
  if (opts.replaceNonWorkspace || (await isWorkspaceFile(path))) return null;
  return { kind: 'not-workspace', message: `${path} exists and is not a Breakerboard workspace; confirm to replace that file` };
}
