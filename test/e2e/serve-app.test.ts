import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it, vi } from 'vitest';
import { DEMO_WORKSPACE_YAML, validateWorkspaceText } from '../../shared/model';
import { appPerTest } from './support/app-per-test';
import { hasChromium, screenshot, SKIP_REASON } from './support/browser';

/*
 * `serve` in Chromium. Each test serves its own copy of the demo and opens its own page (a fresh browser context),
 * so it passes alone and in any order: nothing it reads was left by another test, in the browser or in serve.
 */
if (!hasChromium) console.warn(`skipping the serve end-to-end suite: ${SKIP_REASON}`);

// A real browser on two shared cores next to the rest of the suite: give each step room.
vi.setConfig({ testTimeout: 90_000 });

const NAV = ['pools', 'breakers', 'monitor', 'simulate', 'deploy'] as const;
// The weight of aoai-uksouth: in the frame's pools overview, or in the pool editor once it takes the Pools screen.
const WEIGHT = '[data-testid="weight-mybackendpool-aoai-uksouth"], [data-testid="weight-input-aoai-uksouth"]';
const UKSOUTH_LINE = '      - { backend: aoai-uksouth, priority: 1, weight: 1 }';
const DEMO = { name: 'demo.yaml', text: DEMO_WORKSPACE_YAML };

async function setWeight(page: Page, value: string): Promise<void> {
  const input = page.locator(WEIGHT);
  await input.fill(value);
  await input.press('Tab');
}

describe.skipIf(!hasChromium)('serve: the dashboard in Chromium', () => {
  const app = appPerTest({ expectCleanExit: true });
  /** The demo served for this test and open in a page of its own. */
  const openDemo = async () => {
    const { page, served } = await app.open(DEMO);
    return { page, path: served.path! };
  };

  it('prints exactly the dashboard line and boots to ready', async () => {
    const { serve } = await app.serve(DEMO);
    expect(serve.firstLine).toMatch(/^dashboard at http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{20,}$/);
    const page = await app.newPage();
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
    const { page } = await openDemo();
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
  });

  it('an edit marks the workspace dirty, undo restores it, redo brings it back', async () => {
    const { page } = await openDemo();
    expect(await page.getByTestId('dirty-marker').count()).toBe(0);
    await setWeight(page, '3');
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
    const { page, path } = await openDemo();
    await setWeight(page, '3');
    await page.getByTestId('dirty-marker').waitFor();
    await page.getByTestId('save').click();
    await page.getByTestId('dirty-marker').waitFor({ state: 'detached' });
    const text = await readFile(path, 'utf8');
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
    const { page, path } = await openDemo();
    expect(DEMO_WORKSPACE_YAML).toContain(UKSOUTH_LINE);
    await setWeight(page, '5');
    await page.getByTestId('dirty-marker').waitFor();
    await page.getByTestId('nav-breakers').click();
    await page.reload();
    await page.locator('[data-app-state="ready"]').waitFor();
    await page.getByTestId('screen-breakers').waitFor(); // the open screen survives the reload
    await page.getByTestId('dirty-marker').waitFor();
    await page.getByTestId('nav-pools').click();
    expect(await page.locator(WEIGHT).inputValue()).toBe('5');
    expect(await readFile(path, 'utf8')).toBe(DEMO_WORKSPACE_YAML); // not saved
  });

  it('follows the OS dark theme', async () => {
    const { page } = await openDemo();
    const theme = () => page.locator('[data-app-state="ready"]').getAttribute('data-theme');
    await expect.poll(theme).toBe('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(theme).toBe('dark');
    await screenshot(page, 'serve-04-pools-dark');
    await page.getByTestId('nav-monitor').click();
    await screenshot(page, 'serve-05-monitor-dark');
  });
});

describe.skipIf(!hasChromium)('serve without a file: the demo in memory, the first save asks for a path', () => {
  const app = appPerTest({ expectCleanExit: true });

  it('saves the demo where the user says, with its comments', async () => {
    const { page, served } = await app.open();
    const dir = served.dir;
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
