import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBrowser, type BrowserSession } from './browser';
import { ensureBuilt, startServe, type RunningServe } from './serve';

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
  ensureBuilt();
  const dir = await mkdtemp(join(tmpdir(), 'bb-e2e-'));
  await writeFile(join(dir, fileName), text);
  const serve = await startServe([join(dir, fileName), '--port', '0'], dir);
  const browser = await openBrowser();
  const errors: string[] = [];
  browser.page.on('pageerror', (e) => errors.push(e.message));
  return {
    dir,
    serve,
    browser,
    errors,
    close: async () => {
      await browser.close();
      await serve.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
