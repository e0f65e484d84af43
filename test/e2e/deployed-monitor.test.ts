import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { serializeWorkspace } from '../../shared/model';
import { demoWorkspace, RG, SUB, SVC, TOKEN } from '../support/arm-emulator/fixtures';
import { startDeployedFixture, type DeployedFixture } from '../support/deployed-emulator';
import { hasChromium, openBrowser, screenshot, SKIP_REASON, type BrowserSession } from './support/browser';
import { ensureBuilt, startServe, type RunningServe } from './support/serve';

/*
 * The Monitor's "Deployed service" source in Chromium against `serve`: sign-in through the Deploy screen's endpoint
 * setting (the ARM emulator with the diagnostic-settings additions), the Log Analytics stand-in through the
 * sovereign-cloud setting BREAKERBOARD_LOGS_ENDPOINT, the demo recording replayed as the last 15 minutes.
 */

if (!hasChromium) console.warn(`skipping the deployed monitor end-to-end test: ${SKIP_REASON}`);
vi.setConfig({ testTimeout: 60_000 });

describe.skipIf(!hasChromium)('Monitor: the deployed service as a source', () => {
  let f: DeployedFixture;
  let dir: string;
  let serve: RunningServe;
  let browser: BrowserSession;
  let page: Page;
  const saved = process.env.BREAKERBOARD_LOGS_ENDPOINT;

  beforeAll(async () => {
    ensureBuilt();
    // The recording's newest row a minute ago (its first minute then falls before the 15-minute range).
    f = await startDeployedFixture({ newestAt: Date.now() - 60_000 });
    dir = await mkdtemp(join(tmpdir(), 'bb-e2e-deployed-'));
    const ws = demoWorkspace();
    ws.target = { subscription: SUB, resourceGroup: RG, service: SVC };
    await writeFile(join(dir, 'demo.yaml'), serializeWorkspace(ws, 'yaml'));
    process.env.BREAKERBOARD_LOGS_ENDPOINT = f.logs.url;
    serve = await startServe([join(dir, 'demo.yaml'), '--port', '0'], dir);
    browser = await openBrowser();
    page = browser.page;
  }, 120_000);

  afterAll(async () => {
    if (saved === undefined) delete process.env.BREAKERBOARD_LOGS_ENDPOINT;
    else process.env.BREAKERBOARD_LOGS_ENDPOINT = saved;
    await browser?.close();
    await serve?.stop();
    await f?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('charts per-backend traffic from Log Analytics, with the ingestion delay and the inferred opening', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(serve.url);
    await page.locator('[data-app-state="ready"]').waitFor({ timeout: 15_000 });
    await page.getByTestId('nav-deploy').click();
    await page.getByTestId('deploy-endpoint').fill(f.endpoint);
    await page.getByTestId('deploy-endpoint-save').click();
    await page.getByTestId('deploy-endpoint-save').waitFor({ state: 'detached' });
    await page.getByTestId('deploy-signin-token').fill(TOKEN);
    await page.getByTestId('deploy-signin').click();
    await page.getByTestId('deploy-signed-in').waitFor();

    await page.getByTestId('nav-monitor').click();
    await page.getByRole('tab', { name: 'Deployed service' }).click();
    const chart = page.getByTestId('deployed-chart-requests');
    await chart.waitFor({ timeout: 20_000 });
    // 450 recorded requests, less those older than 15 minutes by the time the page asks (one every 2 s).
    const total = Number(await chart.getAttribute('data-total'));
    expect(total).toBeGreaterThan(390);
    expect(total).toBeLessThanOrEqual(420);
    // ~30 half-minute rows; the oldest may have aged out of the 15 minutes on a slow machine.
    expect(Number(await chart.getAttribute('data-rows'))).toBeGreaterThanOrEqual(25);
    expect(await page.getByTestId('deployed-traffic').textContent()).toMatch(/Logs arrive about 1[3-5]\d s late \(measured\)/);
    expect(await page.getByTestId('deployed-openings').textContent()).toContain('aoai-eastus (pool mybackendpool)');
    expect(await page.getByText(/Logs from diagnostic setting "to-law"/).count()).toBe(1);
    // Discovery went through the diagnostic settings, then the workspace; the rows through the query API.
    expect(f.front.requests.map((r) => r.path.split('/').pop())).toEqual(expect.arrayContaining(['diagnosticSettings', 'law-ai']));
    expect(f.logs.requests.length).toBeGreaterThanOrEqual(3);
    await screenshot(page, 'deployed-monitor');
    await page.getByRole('tab', { name: 'Local gateway' }).click();
    await page.getByTestId('screen-monitor').waitFor();
    expect(await page.getByTestId('deployed-traffic').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
