import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBrowser, type BrowserSession } from './browser';
import { ensureBuilt, startServe, type RunningServe } from './serve';

/** `serve` on a temporary folder: with a workspace file written there, or (no file) the demo in memory. */
export interface ServedFolder {
  dir: string;
  /** The workspace file's path (undefined without a file). */
  path: string | undefined;
  serve: RunningServe;
  /** Stops serve (returns its exit code) and removes the folder. */
  close(): Promise<number>;
}

export async function serveWorkspace(file?: { name: string; text: string }): Promise<ServedFolder> {
  ensureBuilt();
  const dir = await mkdtemp(join(tmpdir(), 'bb-e2e-'));
  const path = file ? join(dir, file.name) : undefined;
  if (file && path) await writeFile(path, file.text);
  const serve = await startServe([...(path ? [path] : []), '--port', '0'], dir);
  return {
    dir,
    path,
    serve,
    close: async () => {
      const code = await serve.stop();
      await rm(dir, { recursive: true, force: true });
      return code;
    },
  };
}

/** A workspace file served by `serve` in a temporary folder, with a browser open and its page errors collected. */
export interface ServedWorkspace {
  dir: string;
  serve: RunningServe;
  browser: BrowserSession;
  /** Uncaught errors of the page, for a suite's final "no page errors" check. */
  errors: string[];
  close(): Promise<void>;
}

export async function serveWorkspaceInBrowser(fileName: string, text: string): Promise<ServedWorkspace> {
  const served = await serveWorkspace({ name: fileName, text });
  const browser = await openBrowser();
  const errors: string[] = [];
  browser.page.on('pageerror', (e) => errors.push(e.message));
  return {
    dir: served.dir,
    serve: served.serve,
    browser,
    errors,
    close: async () => {
      await browser.close();
      await served.close();
    },
  };
}
