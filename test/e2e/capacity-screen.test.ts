import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { validateWorkspaceText } from '../../shared/model';
import { startCognitiveEmulator, type CognitiveEmulator } from '../support/cognitive-emulator';
import { hasChromium, openBrowser, screenshot, SKIP_REASON, type BrowserSession } from './support/browser';
import { ensureBuilt, startServe, type RunningServe } from './support/serve';

/*
 * Issue 17 in Chromium against `serve`: sign in (the Deploy screen's sign-in, pointed at the Cognitive Services
 * emulator), discover, add the gpt-4o deployments as backends, accept the pool suggestion, run the planner's
 * sweep and see the chart. Saved to disk at the end: the file validates and keeps the capacities.
 */

if (!hasChromium) console.warn(`skipping the capacity end-to-end suite: ${SKIP_REASON}`);
vi.setConfig({ testTimeout: 60_000 });

describe.skipIf(!hasChromium)('capacity screen: discover → backends → suggestion → sweep chart', () => {
  let arm: CognitiveEmulator;
  let dir: string;
  let serve: RunningServe;
  let browser: BrowserSession;
  let page: Page;

  beforeAll(async () => {
    ensureBuilt();
    arm = await startCognitiveEmulator({ token: 'e2e-token' });
    dir = await mkdtemp(join(tmpdir(), 'bb-e2e-capacity-'));
    await writeFile(join(dir, 'ws.yaml'), 'version: 1\nbackends: {}\n');
    serve = await startServe([join(dir, 'ws.yaml'), '--port', '0'], dir);
    browser = await openBrowser();
    page = browser.page;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await arm?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('signs in, discovers and adds the gpt-4o deployments as backends', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(serve.url);
    await page.locator('[data-app-state="ready"]').waitFor({ timeout: 15_000 });
    await page.getByTestId('nav-deploy').click();
    await page.getByTestId('deploy-endpoint').fill(arm.url);
    await page.getByTestId('deploy-endpoint-save').click();
    await page.getByTestId('deploy-endpoint-save').waitFor({ state: 'detached' });
    await page.getByTestId('deploy-signin-token').fill('e2e-token');
    await page.getByTestId('deploy-signin').click();
    await page.getByTestId('deploy-signed-in').waitFor();

    await page.getByTestId('nav-discovery').click();
    await page.getByTestId('discovery-discover').click();
    await page.getByTestId('discovery-row-aoai-uksouth-gpt-4o').waitFor();
    for (const row of ['aoai-swedencentral-gpt-4o-ptu', 'aoai-uksouth-gpt-4o', 'foundry-eastus2-gpt-4o-global', 'foundry-eastus2-gpt-4o-ptu-east']) {
      await page.getByTestId(`discovery-row-${row}`).getByRole('checkbox').check();
    }
    // The Speech account is not listed; the embeddings deployment is, unticked.
    expect(await page.locator('[data-testid^="discovery-row-speech"]').count()).toBe(0);
    await screenshot(page, 'capacity-01-discovered');
    await page.getByTestId('discovery-add').click();
    expect(await page.getByTestId('discovery-added').textContent()).toBe(
      'added 4 backends: aoai-swedencentral-gpt-4o-ptu, aoai-uksouth-gpt-4o, foundry-eastus2-gpt-4o-global, foundry-eastus2-gpt-4o-ptu-east',
    );
    expect(errors).toEqual([]);
  });

  it('shows the suggestion as a diff and applies it when accepted', async () => {
    await page.getByTestId('suggest-run').click();
    const diff = page.getByTestId('suggest-diff');
    await diff.waitFor();
    const text = (await diff.textContent()) ?? '';
    expect(text).toContain('pools.pool-gpt-4o');
    expect(text).toContain('"priority":1');
    expect(text).toContain('"priority":2');
    await diff.evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'capacity-02-suggestion');
    await page.getByTestId('suggest-accept').click();
    await diff.waitFor({ state: 'detached' });
  });

  it('runs the sweep and draws client success, 429s and spillover against load', async () => {
    // The PTUs report no token rate: enter one each (30 000 and 90 000 tokens a minute).
    await page.getByTestId('plan-tpm-aoai-swedencentral-gpt-4o-ptu').fill('30000');
    await page.getByTestId('plan-tpm-aoai-swedencentral-gpt-4o-ptu').press('Tab');
    await page.getByTestId('plan-tpm-foundry-eastus2-gpt-4o-ptu-east').fill('90000');
    await page.getByTestId('plan-tpm-foundry-eastus2-gpt-4o-ptu-east').press('Tab');
    await page.getByTestId('plan-rpm').fill('200');
    await page.getByTestId('plan-tokens').fill('1000');
    await page.getByTestId('plan-minutes').fill('20');
    await page.getByTestId('plan-sweep').fill('0.5:4:0.5');
    await page.getByTestId('plan-run').click();
    const chart = page.getByTestId('capacity-sweep-chart');
    await chart.waitFor();
    await chart.locator('.recharts-line-curve').first().waitFor();
    expect(await chart.locator('.recharts-line-curve').count()).toBe(4);
    const lines = await page.getByTestId('plan-lines').locator('li').allTextContents();
    expect(lines).toHaveLength(8);
    expect(lines[0]).toMatch(/^at 0\.5×: 100\.0 % success/);
    // At 4× (800 requests/min × 1000 tokens) the PTUs (120 000) and pay-as-you-go (480 000) are not enough.
    expect(lines[7]).toMatch(/spill over/);
    expect(lines[7]).toMatch(/get 429|get 503/);
    await page.getByTestId('capacity-planner').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'capacity-03-sweep-chart');
  });

  it('the Pools screen shows each member\'s capacity by its weight and warns when they disagree by more than 2×', async () => {
    await page.getByTestId('nav-pools').click();
    await page.getByTestId('member-card-aoai-uksouth-gpt-4o').waitFor();
    expect(await page.getByTestId('capacity-aoai-uksouth-gpt-4o').textContent()).toBe('Standard · 30k TPM');
    expect(await page.getByTestId('capacity-aoai-swedencentral-gpt-4o-ptu').textContent()).toBe('ProvisionedManaged · 30k TPM · 100 PTU');
    const warning = page.getByTestId('field-warning-pools.pool-gpt-4o.services[2].weight');
    expect(await warning.count()).toBe(0);
    // uksouth has 30k of the lane's 480k tokens a minute; weight 100 against 15 would send it 87 % of the lane.
    await page.getByTestId('weight-input-aoai-uksouth-gpt-4o').fill('100');
    await page.getByTestId('weight-input-aoai-uksouth-gpt-4o').press('Tab');
    await warning.waitFor();
    expect(await warning.textContent()).toContain('more than 2× apart');
    await page.getByTestId('member-card-aoai-uksouth-gpt-4o').evaluate((e) => e.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'capacity-04-pool-member-capacity');
    await page.keyboard.press('Control+z');
    await warning.waitFor({ state: 'detached' });
  });

  it('saves a file that validates and keeps the capacities', async () => {
    await page.keyboard.press('Control+s');
    await expect.poll(async () => (await readFile(join(dir, 'ws.yaml'), 'utf8')).includes('pool-gpt-4o'), { timeout: 10_000 }).toBe(true);
    const v = validateWorkspaceText(await readFile(join(dir, 'ws.yaml'), 'utf8'));
    if (!v.ok) throw new Error(JSON.stringify(v.errors));
    expect(v.workspace.backends['aoai-swedencentral-gpt-4o-ptu']!.capacity).toMatchObject({ sku: 'ProvisionedManaged', ptu: 100, tokensPerMinute: 30_000 });
    expect(v.workspace.pools!['pool-gpt-4o']!.services.map((s) => s.priority)).toEqual([1, 1, 2, 2]);
  });
});
