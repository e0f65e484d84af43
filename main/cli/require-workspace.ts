import { resolve } from 'node:path';
import { loadWorkspaceFile, type LoadedWorkspace } from '../workspace/workspace-file';
import { CliError, type CliIo } from './io';

/** Loads a workspace for a command that needs a valid one; otherwise stops with every error, exit 1. */
export async function requireWorkspace(io: CliIo, file: string): Promise<LoadedWorkspace> {
  const loaded = await loadWorkspaceFile(resolve(io.cwd, file));
  if (loaded.ok) return loaded;
  const lines = loaded.errors.map((e) => `error: ${e.path === loaded.path ? file : e.path}: ${e.message}`);
  throw new CliError(lines.join('\n'));
}
