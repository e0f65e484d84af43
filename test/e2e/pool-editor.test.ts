import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_WORKSPACE_YAML, validateWorkspaceText } from '../../shared/model';
import { hasChromium, openBrowser, screenshot, SKIP_REASON, type BrowserSession } from './support/browser';
import { ensureBuilt, startServe, type RunningServe } from './support/serve';

/*
 * Issue 7 through the real app: serve + Chromium. DESIGN §5's scenario: a pool from two backends, weights 3:1 inside
 * one lane → 75 %/25 %; mark the first tripped → 100 % on the second; drag it to a lower lane → 100 % on the one
 * left in the higher lane; save, reload, still there and valid. Then an invalid value blocks saving, and a card
 * moves between lanes with the keyboard alone.
 */
if (!hasChromium) console.warn(`skipping the pool editor end-to-end suite: ${SKIP_REASON}`);
vi.setConfig({ testTimeout: 90_000 });

const EAST = 'aoai-eastus';
const WEST = 'aoai-uksouth';

async function dragTo(page: Page, handle: Locator, target: Locator): Promise<void> {
  const from = (await handle.boundingBox())!;
  const to = (await target.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  // dnd-kit's pointer sensor starts a drag after a few pixels of movement: move in steps, as a hand would.
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2 + 12, { steps: 4 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  await page.mouse.up();
}

describe.skipIf(!hasChromium)('pool editor in the browser (issue 7)', () => {
  let dir: string;
  let wsPath: string;
  let serve: RunningServe;
  let browser: BrowserSession;
  const share = (b: string) => browser.page.getByTestId(`share-${b}`).textContent();

  beforeAll(async () => {
    ensureBuilt();
    dir = await mkdtemp(join(tmpdir(), 'bb-e2e-pools-'));
    wsPath = join(dir, 'demo.yaml');
    await writeFile(wsPath, DEMO_WORKSPACE_YAML);
    serve = await startServe([wsPath, '--port', '0'], dir);
    browser = await openBrowser();
    await browser.page.goto(serve.url);
    await browser.page.locator('[data-app-state="ready"]').waitFor({ timeout: 15_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    expect(await serve?.stop()).toBe(0);
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a pool from two backends, 3:1 in one lane reads 75 %/25 %, a trip moves everything to the other', async () => {
    const { page } = browser;
    await page.getByTestId('nav-pools').click();
    await page.getByTestId('add-pool-id').fill('drillpool');
    await page.getByTestId(`add-pool-member-${EAST}`).click();
    await page.getByTestId(`add-pool-member-${WEST}`).click();
    await page.getByTestId('add-pool-submit').click();
    await page.getByTestId('pool-editor-drillpool').waitFor();

    for (const [backend, weight] of [[EAST, '3'], [WEST, '1']] as const) {
      const input = page.getByTestId(`weight-input-${backend}`);
      await input.fill(weight);
      await input.press('Tab');
    }
    await expect.poll(() => share(EAST)).toBe('75 %');
    expect(await share(WEST)).toBe('25 %');
    await screenshot(page, 'pools-01-weights-3-1');

    await page.getByTestId(`trip-toggle-${EAST}`).click();
    await expect.poll(() => share(WEST)).toBe('100 %');
    expect(await share(EAST)).toBe('0 %');
    await screenshot(page, 'pools-02-east-tripped');
    await page.getByTestId('trip-clear').click();
    await expect.poll(() => share(EAST)).toBe('75 %');
  });

  it('dragging the first card to a new lower lane leaves 100 % on the one in the higher lane', async () => {
    const { page } = browser;
    await dragTo(page, page.getByTestId(`drag-handle-${EAST}`), page.getByTestId('pool-lane-new'));
    await page.getByTestId('pool-lane-2').getByTestId(`member-card-${EAST}`).waitFor();
    expect(await page.getByTestId('pool-lane-1').getByTestId(`member-card-${EAST}`).count()).toBe(0);
    await expect.poll(() => share(WEST)).toBe('100 %');
    expect(await share(EAST)).toBe('0 %');
    await screenshot(page, 'pools-03-east-in-lower-lane');
  });

  it('saves; after a reload the pool is still there and the file validates', async () => {
    const { page } = browser;
    await page.getByTestId('save').click();
    await page.getByTestId('dirty-marker').waitFor({ state: 'detached' });
    const text = await readFile(wsPath, 'utf8');
    const result = validateWorkspaceText(text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const members = result.workspace.pools?.drillpool?.services;
    // The editor keeps members in lane order: the higher lane first.
    expect(members).toEqual([
      { backend: WEST, priority: 1, weight: 1 },
      { backend: EAST, priority: 2, weight: 3 },
    ]);
    expect(text).toContain('# Breakerboard demo workspace'); // the user's comments survive

    await page.reload();
    await page.locator('[data-app-state="ready"]').waitFor();
    await page.getByTestId('nav-pools').click();
    await page.getByTestId('pool-item-drillpool').click();
    await page.getByTestId('pool-lane-2').getByTestId(`member-card-${EAST}`).waitFor();
    await expect.poll(() => share(WEST)).toBe('100 %');
  });

  it('an invalid weight shows at its field and saving is refused with the list', async () => {
    const { page } = browser;
    const input = page.getByTestId(`weight-input-${WEST}`);
    await input.fill('150');
    await input.press('Tab');
    const path = 'pools.drillpool.services[0].weight'; // WEST, first in lane order
    await page.getByTestId(`field-error-${path}`).first().waitFor();
    expect(await page.getByTestId(`field-error-${path}`).first().textContent()).toContain('between 0 and 100');
    await screenshot(page, 'pools-04-invalid-weight');
    const before = await readFile(wsPath, 'utf8');
    await page.getByTestId('save').click();
    const notice = page.getByTestId('notice-error');
    await notice.waitFor();
    expect(await notice.textContent()).toContain(`not saved: ${path}: must be between 0 and 100`);
    expect(await readFile(wsPath, 'utf8')).toBe(before); // nothing written
    await page.getByTestId('undo').click();
    await expect.poll(() => input.inputValue()).toBe('1');
  });

  it('moves a card between lanes with the keyboard alone', async () => {
    const { page } = browser;
    // Focus the drag handle, pick up with Space, move with the arrows, drop with Space (dnd-kit keyboard sensor).
    await page.getByTestId(`drag-handle-${EAST}`).focus();
    // Each key is pressed once dnd-kit has said (its live region) what the last one did: by then it has measured the
    // lanes, as it would have between a person's key presses.
    const said = page.locator('[id^="DndLiveRegion"]');
    for (const [key, words] of [['Space', /Picked up/], ['ArrowUp', / is over /], ['Space', / dropped on /]] as const) {
      await page.keyboard.press(key);
      await expect.poll(() => said.textContent()).toMatch(words);
    }
    await screenshot(page, 'pools-05a-keyboard-after');
    await page.getByTestId('pool-lane-1').getByTestId(`member-card-${EAST}`).waitFor();
    await expect.poll(() => share(EAST)).toBe('75 %');
    expect(await share(WEST)).toBe('25 %');
    await screenshot(page, 'pools-05-keyboard-move');
  });
});
