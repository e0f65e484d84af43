import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { loadWorkspaceFile } from '../workspace/workspace-file';
import type { GatewayEngine } from './engine';

const DEBOUNCE_MS = 150;

/**
 * Reloads the workspace when its file changes. The directory is watched, not the file: editors and our own atomic
 * save replace the file by rename, which ends a watch on the old inode. Invalid edits are refused (config event
 * with the errors); the previous table keeps serving.
 */
export function watchWorkspace(path: string, engine: GatewayEngine): () => void {
  const name = basename(path);
  let timer: NodeJS.Timeout | undefined;
  let lastText: string | undefined;
  let running = Promise.resolve();
  const reload = () => {
    running = running.then(async () => {
      const loaded = await loadWorkspaceFile(path);
      if (loaded.ok) {
        if (loaded.text === lastText) return;
        lastText = loaded.text;
        engine.apply(loaded.workspace);
      } else if (!loaded.errors.some((e) => e.message === 'file not found')) {
        engine.refuse(loaded.errors);
      }
    });
  };
  void loadWorkspaceFile(path).then((l) => {
    if (l.ok && lastText === undefined) lastText = l.text;
  });
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(path), (_event, file) => {
      if (file !== null && file !== name) return;
      clearTimeout(timer);
      timer = setTimeout(reload, DEBOUNCE_MS);
    });
    watcher.on('error', () => undefined);
  } catch {
    /* no watching on this file system: the gateway runs on the table it has */
  }
  return () => {
    clearTimeout(timer);
    watcher?.close();
  };
}
