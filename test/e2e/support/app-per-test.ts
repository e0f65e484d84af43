import type { BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { launchBrowser, openApp, type AppPage, type FreshPages } from './browser';
import { ensureBuilt } from './serve';
import { serveWorkspace, type ServedFolder } from './served-workspace';

/*
 * Issue 19 item 4: one Chromium per suite, but each test its own `serve` (its own folder and workspace file) and
 * its own page in a fresh browser context. Nothing a test sees was left by another one — not in the browser
 * (storage, focus, scroll) nor in serve (unsaved edits, a running gateway, a sign-in) — so any test passes alone
 * and in any order. Call inside the suite's `describe`: it registers the hooks that launch and close everything.
 */

export interface TestApp extends AppPage {
  served: ServedFolder;
}

export interface AppPerTest {
  /** Serves `file` in this test's own folder (no file: the demo in memory); closed after the test. */
  serve(file?: { name: string; text: string }): Promise<ServedFolder>;
  /** A page in a context of its own, not yet on any address. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** `serve(file)`, then the dashboard open and ready in a page of its own. */
  open(file?: { name: string; text: string }, options?: BrowserContextOptions): Promise<TestApp>;
}

export function appPerTest(opts: { expectCleanExit?: boolean } = {}): AppPerTest {
  let pages: FreshPages | undefined;
  const served: ServedFolder[] = [];

  beforeAll(async () => {
    ensureBuilt();
    pages = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await pages?.close();
  });

  afterEach(async () => {
    // Pages first: their event streams would otherwise hold serve open.
    await pages?.closePages();
    for (const s of served.splice(0)) {
      const code = await s.close();
      if (opts.expectCleanExit) expect(code).toBe(0);
    }
  });

  const serve: AppPerTest['serve'] = async (file) => {
    const s = await serveWorkspace(file);
    served.push(s);
    return s;
  };
  return {
    serve,
    newPage: (options) => pages!.newPage(options),
    open: async (file, options) => {
      const s = await serve(file);
      return { served: s, ...(await openApp(pages!, s.serve.url, options)) };
    },
  };
}
