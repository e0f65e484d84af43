import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_WORKSPACE_YAML, validateWorkspaceText } from '../../shared/model';
import { hasChromium, openBrowser, screenshot, SKIP_REASON, type BrowserSession } from './support/browser';
import { ensureBuilt, startServe, type RunningServe } from './support/serve';

if (!hasChromium) console.warn(`skipping the serve end-to-end suite: ${SKIP_REASON}`);

// A real browser on two shared cores next to the rest of the suite: give each step room.
vi.setConfig({ testTimeout: 90_000 });

const NAV = ['pools', 'breakers', 'monitor', 'simulate', 'deploy'] as const;
// The weight of aoai-uksouth: in the frame's pools overview, or in the pool editor once it takes the Pools screen.
const WEIGHT = '[data-testid="weight-mybackendpool-aoai-uksouth"], [data-testid="weight-input-aoai-uksouth"]';

describe.skipIf(!hasChromium)('serve: the dashboard in Chromium', () => {
  let dir: string;
  let wsPath: string;
  let serve: RunningServe;
  let browser: BrowserSession;

  beforeAll(async () => {
    ensureBuilt();
    dir = await mkdtemp(join(tmpdir(), 'bb-e2e-'));
    wsPath = join(dir, 'demo.yaml');
    await writeFile(wsPath, DEMO_WORKSPACE_YAML);
    serve = await startServe([wsPath, '--port', '0'], dir);
    browser = await openBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    expect(await serve?.stop()).toBe(0);
    await rm(dir, { recursive: true, force: true });
  });

  const setWeight = async (value: string) => {
    const input = browser.page.locator(WEIGHT);
    await input.fill(value);
    await input.press('Tab');
  };

  it('prints exactly the dashboard line and boots to ready', async () => {
    expect(serve.firstLine).toMatch(/^dashboard at http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{20,}$/);
    const { page } = browser;
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(serve.url);
    await page.locator('[data-app-state="ready"]').waitFor({ timeout: 15_000 });
    expect(page.url()).not.toContain('token='); // taken out of the address bar
    await expect.poll(() => page.getByTestId('workspace-name').textContent()).toBe('demo.yaml');
    await expect.poll(() => page.getByTestId('workspace-counts').textContent()).toBe('2 backends · 1 pool · 1 api');
    await screenshot(page, 'serve-01-pools-light');
    // The warnings count opens the list of every issue with its path.
    await page.getByTestId('validation-summary').click();
    await page.getByTestId('validation-list').waitFor();
    await screenshot(page, 'serve-01b-validation-list');
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });

  it('navigates between the five screens, by mouse and by keyboard', async () => {
    const { page } = browser;
    for (const id of NAV) {
      await page.getByTestId(`nav-${id}`).click();
      await page.getByTestId(`screen-${id}`).waitFor();
      expect(await page.getByTestId(`nav-${id}`).getAttribute('aria-selected')).toBe('true');
    }
    await screenshot(page, 'serve-02-deploy-empty');
    // Keyboard: the tab list moves with arrow keys.
    await page.getByTestId('nav-deploy').focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.getByTestId('screen-simulate').waitFor();
    await page.getByTestId('nav-pools').click();
    await page.getByTestId('screen-pools').waitFor();
  });

  it('an edit marks the workspace dirty, undo restores it, redo brings it back', async () => {
    const { page } = browser;
    expect(await page.getByTestId('dirty-marker').count()).toBe(0);
    await setWeight('3');
    await page.getByTestId('dirty-marker').waitFor();
    await screenshot(page, 'serve-03-dirty');
    await page.getByTestId('undo').click();
    await expect.poll(() => page.locator(WEIGHT).inputValue()).toBe('1');
    await page.getByTestId('dirty-marker').waitFor({ state: 'detached' });
    await page.getByTestId('redo').click();
    await expect.poll(() => page.locator(WEIGHT).inputValue()).toBe('3');
    await page.getByTestId('dirty-marker').waitFor();
  });

  it('save writes the file with its comments kept', async () => {
    const { page } = browser;
    await page.getByTestId('save').click();
    await page.getByTestId('dirty-marker').waitFor({ state: 'detached' });
    const text = await readFile(wsPath, 'utf8');
    expect(text).toContain('- { backend: aoai-uksouth, priority: 1, weight: 3 }');
    expect(text).toContain('# Breakerboard demo workspace');
    // Issue 15 item 10: a one-weight edit is a one-line diff.
    const before = DEMO_WORKSPACE_YAML.split('\n');
    expect(text.split('\n').filter((l, i) => l !== before[i])).toEqual(['      - { backend: aoai-uksouth, priority: 1, weight: 3 }']);
    expect(text.split('\n')).toHaveLength(before.length);
    expect(text).toContain('# as in the seed; 429 + 500-599 would spare client errors');
    expect(validateWorkspaceText(text).ok).toBe(true);
  });

  it('a reload keeps the state, unsaved edits included', async () => {
    const { page } = browser;
    await setWeight('5');
    await page.getByTestId('dirty-marker').waitFor();
    await page.getByTestId('nav-breakers').click();
    await page.reload();
    await page.locator('[data-app-state="ready"]').waitFor();
    await page.getByTestId('screen-breakers').waitFor(); // the open screen survives the reload
    await page.getByTestId('dirty-marker').waitFor();
    await page.getByTestId('nav-pools').click();
    expect(await page.locator(WEIGHT).inputValue()).toBe('5');
    expect(await readFile(wsPath, 'utf8')).toContain('weight: 3 }'); // not saved yet
  });

  it('follows the OS dark theme', async () => {
    const { page } = browser;
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => page.locator('[data-app-state="ready"]').getAttribute('data-theme')).toBe('dark');
    await screenshot(page, 'serve-04-pools-dark');
    await page.getByTestId('nav-monitor').click();
    await screenshot(page, 'serve-05-monitor-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByTestId('nav-pools').click();
  });
});

describe.skipIf(!hasChromium)('serve without a file: the demo in memory, the first save asks for a path', () => {
  let dir: string;
  let serve: RunningServe;
  let browser: BrowserSession;

  beforeAll(async () => {
    ensureBuilt();
    dir = await mkdtemp(join(tmpdir(), 'bb-e2e-demo-'));
    serve = await startServe(['--port', '0'], dir);
    browser = await openBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('saves the demo where the user says, with its comments', async () => {
    const { page } = browser;
    await page.goto(serve.url);
    await page.locator('[data-app-state="ready"]').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('workspace-name').textContent()).toBe('Demo workspace');
    await page.getByTestId('save').click();
    await page.getByTestId('path-input').waitFor();
    await page.getByTestId('path-input').fill('mine.yaml');
    await screenshot(page, 'serve-06-save-path-dialog');
    await page.getByTestId('path-submit').click();
    await expect.poll(() => page.getByTestId('workspace-name').textContent()).toBe('mine.yaml');
    const text = await readFile(join(dir, 'mine.yaml'), 'utf8');
    expect(text).toContain('# Breakerboard demo workspace');
    // Saving as the same name again asks before overwriting.
    await page.keyboard.press('Control+Shift+S');
    await page.getByTestId('path-input').fill('mine2.yaml');
    await page.getByTestId('path-submit').click();
    await expect.poll(() => page.getByTestId('workspace-name').textContent()).toBe('mine2.yaml');
    await page.keyboard.press('Control+Shift+S');
    await page.getByTestId('path-input').fill('mine.yaml');
    await page.getByTestId('path-submit').click();
    await expect.poll(() => page.getByTestId('path-submit').textContent()).toBe('Overwrite');
    await page.getByTestId('path-submit').click();
    await expect.poll(() => page.getByTestId('workspace-name').textContent()).toBe('mine.yaml');
  });
});
