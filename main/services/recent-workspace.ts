import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../workspace/atomic-write';

/*
 * Remembers the last workspace file in a small JSON in the user's config folder, so the desktop app reopens it.
 * A missing or unreadable file just means "nothing remembered": never an error at start-up.
 */
export interface RecentWorkspaceMemory {
  get(): Promise<string | null>;
  set(path: string): Promise<void>;
}

export function createRecentWorkspaceMemory(configDir: string): RecentWorkspaceMemory {
  const file = join(configDir, 'recent.json');
  return {
    async get() {
      try {
        const data = JSON.parse(await readFile(file, 'utf8')) as { lastWorkspace?: unknown };
        return typeof data.lastWorkspace === 'string' && data.lastWorkspace !== '' ? data.lastWorkspace : null;
      } catch {
        return null;
      }
    },
    async set(path) {
      await mkdir(configDir, { recursive: true });
      await writeFileAtomic(file, `${JSON.stringify({ lastWorkspace: path }, null, 2)}\n`);
    },
  };
}
