import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

/*
 * Debian's Chromium driven by playwright-core: never a Playwright browser download. The flags keep it from calling
 * home (this machine's network is closed) and let it run as root in a container; a fresh profile each time.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const SKIP_REASON = `${CHROMIUM} is missing (apt-get install -y chromium): the end-to-end suite needs it`;
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export const SCREENSHOTS = resolve('test-results/screenshots');
/** Screenshots a reviewer looks at (gitignored): after uptime, after reload, at 1024 px, in dark mode. */
export const ARTIFACTS = resolve('artifacts');

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export interface FreshPages {
  browser: Browser;
  /**
   * A page in a context of its own (issue 19 item 4): no storage, focus or scroll shared with another test, so each
   * test passes alone and in any order. Closed with the browser; close it earlier to keep memory low.
   */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** Closes every context opened so far (afterEach), so a failed test's page does not linger into the next. */
  closePages(): Promise<void>;
  close(): Promise<void>;
}

/** A page of the dashboard, booted, with its uncaught errors collected for a final "no page errors" check. */
export interface AppPage {
  page: Page;
  errors: string[];
}

/** One Chromium per suite; every test takes its own `newPage()` (a fresh `browser.newContext()`). */
export async function launchBrowser(): Promise<FreshPages> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  return {
    browser,
    newPage: async (options = {}) => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
      return context.newPage();
    },
    closePages: async () => {
      await Promise.all(browser.contexts().map((c) => c.close()));
    },
    close: () => browser.close(),
  };
}

/** A fresh page (its own context) on the dashboard at `url`, waited until the app is ready. */
export async function openApp(pages: FreshPages, url: string, options?: BrowserContextOptions): Promise<AppPage> {
  const page = await pages.newPage(options);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.locator('[data-app-state="ready"]').waitFor({ timeout: 20_000 });
  return { page, errors };
}

export async function openBrowser(): Promise<BrowserSession> {
  const profile = await mkdtemp(join(tmpdir(), 'bb-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 800 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string, opts: { dir?: string; fullPage?: boolean } = {}): Promise<string> {
  const dir = opts.dir ?? SCREENSHOTS;
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  // Fluent animates dialogs and the tab indicator: finish animations so the picture shows the settled screen.
  await page.screenshot({ path, animations: 'disabled', fullPage: opts.fullPage ?? false });
  return path;
}
