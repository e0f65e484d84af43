import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_WORKSPACE_YAML } from '../../shared/model';
import { hasChromium, screenshot, SKIP_REASON, type BrowserSession } from './support/browser';
import type { RunningServe } from './support/serve';
import { serveWorkspaceInBrowser, type ServedWorkspace } from './support/served-workspace';

/*
 * The Simulate screen's carbon control in Chromium (docs/apim-fidelity.md F-ROUTE-8): the demo pool made carbon-aware
 * (EastUS prefers Low), the gateway on simulated backends, EastUS's region switched to VeryHigh from the screen, and
 * the traffic seen at the wire moves to UKSouth. Labelled for assistive technology (axe, WCAG 2.1 AA).
 */
if (!hasChromium) console.warn(`skipping the carbon control end-to-end suite: ${SKIP_REASON}`);
vi.setConfig({ testTimeout: 60_000 });

const WORKSPACE = DEMO_WORKSPACE_YAML.replace('    url: https://eastus-aoai.openai.azure.com/openai\n', '    url: https://eastus-aoai.openai.azure.com/openai\n    azureRegion: eastus\n')
  .replace('    url: https://uksouth-aoai.openai.azure.com/openai\n', '    url: https://uksouth-aoai.openai.azure.com/openai\n    azureRegion: uksouth\n')
  .replace('{ backend: aoai-eastus, priority: 1, weight: 10 }', '{ backend: aoai-eastus, priority: 1, weight: 10, preferredCarbonEmission: Low }')
  .replace('apis:\n', 'gateway:\n  carbonEmission: { eastus: VeryLow }\napis:\n');

describe.skipIf(!hasChromium)('carbon emission by region on the Simulate screen (serve, simulated backends)', () => {
  let served: ServedWorkspace;
  let serve: RunningServe;
  let browser: BrowserSession;

  beforeAll(async () => {
    expect(WORKSPACE).toContain('preferredCarbonEmission: Low');
    expect(WORKSPACE).toContain('carbonEmission: { eastus: VeryLow }');
    served = await serveWorkspaceInBrowser('carbon.yaml', WORKSPACE);
    ({ serve, browser } = served);
  }, 120_000);

  afterAll(async () => {
    await served?.close();
  });

  it('switches a region from the screen and the pool shifts at the wire', async () => {
    const { page } = browser;
    await page.goto(serve.url);
    await page.locator('[data-app-state="ready"]').waitFor({ timeout: 20_000 });
    await page.getByTestId('nav-simulate').click();
    await page.getByTestId('run-start-simulated').click();
    const eastus = page.getByRole('combobox', { name: 'Carbon emission of eastus' });
    await eastus.waitFor();
    expect(await eastus.inputValue()).toBe('VeryLow');
    const gateway = (await page.getByTestId('gateway-url').textContent())!.trim();
    const servedBy = async () => {
      const res = await fetch(`${gateway}/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"messages":[{"role":"user","content":"hi"}]}' });
      await res.text();
      return res.headers.get('x-breakerboard-backend');
    };
    expect(await servedBy()).toBe('aoai-eastus');
    await eastus.selectOption('VeryHigh');
    await expect.poll(() => eastus.inputValue()).toBe('VeryHigh');
    expect([await servedBy(), await servedBy()]).toEqual(['aoai-uksouth', 'aoai-uksouth']);
    const panel = page.getByTestId('carbon-panel');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'carbon-panel-01-simulate');
    const axe = await new AxeBuilder({ page }).include('[data-testid="carbon-panel"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);
    await page.getByRole('button', { name: "Carbon emission of eastus: back to the workspace's value" }).click();
    await expect.poll(() => eastus.inputValue()).toBe('VeryLow');
    expect(await servedBy()).toBe('aoai-eastus');
    expect(served.errors).toEqual([]);
  });
});
