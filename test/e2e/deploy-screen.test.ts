import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyPlan, buildPlan } from '../../main/apim';
import { DEMO_WORKSPACE_YAML } from '../../shared/model';
import { apimSpecMissing } from '../support/apim-spec';
import { demoSecrets, demoWorkspace, RG, SUB, SVC, startDeployFixture, TOKEN, type DeployFixture } from '../support/arm-emulator/fixtures';
import { appPerTest } from './support/app-per-test';
import { hasChromium, screenshot, SKIP_REASON } from './support/browser';

/*
 * The Deploy screen end to end (issue 9): `serve` in this process, Chromium, and the ARM emulator reached through
 * the app's own endpoint setting (the one a sovereign-cloud user changes). The emulator starts with the demo
 * deployed, as a user who deployed it once with the CLI has it. Each test gets its own emulator (seeded so), its own
 * serve of the demo and its own page, and signs in itself: none relies on a sign-in, an import or an apply left by
 * another, so each passes alone and in any order.
 */

// The emulator validates every body against the APIM spec: without it, it cannot answer.
const skipReason = !hasChromium ? SKIP_REASON : apimSpecMissing;
if (skipReason) console.warn(`skipping the deploy end-to-end suite: ${skipReason}`);

vi.setConfig({ testTimeout: 60_000 });

const WEIGHT = '[data-testid="weight-input-aoai-uksouth"], [data-testid="weight-mybackendpool-aoai-uksouth"]';
const poolWeight = (f: DeployFixture, i: number) => ((f.svc.backends.get('mybackendpool')!.properties.pool as { services: { weight?: number }[] }).services[i]!.weight);

describe.skipIf(Boolean(skipReason))('deploy: sign in, pick, import, plan, apply against the ARM emulator', () => {
  const app = appPerTest();
  // This test's emulator and page (set by beforeEach; serve and page are closed by appPerTest).
  let f: DeployFixture;
  let closeEmulator: (() => Promise<void>) | undefined;
  let page: Page;
  let errors: string[];

  beforeEach(async () => {
    f = await startDeployFixture();
    const { em } = f;
    closeEmulator = () => em.close();
    const secrets = demoSecrets();
    const seeded = await applyPlan(f.conn, f.target, await buildPlan(f.conn, f.target, demoWorkspace(), { secrets }), { secrets });
    if (!seeded.ok) throw new Error(`seeding the emulator failed: ${seeded.message}`);
    ({ page, errors } = await app.open({ name: 'demo.yaml', text: DEMO_WORKSPACE_YAML }));
  });

  afterEach(async () => {
    await closeEmulator?.();
    closeEmulator = undefined;
  });

  /** Deploy's sign-in with a token, through the endpoint setting pointed at this test's emulator; then the service. */
  const signInAndPick = async (shots = false) => {
    await page.getByTestId('nav-deploy').click();
    await page.getByTestId('deploy-endpoint').fill(f.em.url);
    await page.getByTestId('deploy-endpoint-save').click();
    await page.getByTestId('deploy-endpoint-save').waitFor({ state: 'detached' });
    await page.getByTestId('deploy-signin-token').fill(TOKEN);
    if (shots) await screenshot(page, 'deploy-00-sign-in');
    await page.getByTestId('deploy-signin').click();
    await page.getByTestId('deploy-signed-in').waitFor();
    await pick('pick-subscription', SUB);
    await pick('pick-resource-group', RG);
    await pick('pick-service', SVC);
    await expect.poll(() => page.getByTestId('deploy-target-note').textContent()).toContain(SVC);
  };

  const pick = async (picker: string, value: string) => {
    await page.getByTestId(picker).click();
    await page.getByTestId(`${picker}-option-${value}`).click();
  };
  const planTexts = async () => {
    const changed = page.locator('[data-testid^="plan-change-"]:not([data-action="unchanged"])');
    await changed.first().waitFor();
    return {
      changed: await changed.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-action')} ${e.getAttribute('data-testid')!.replace('plan-change-', '')}`)),
      fields: await page.getByTestId('plan-field').evaluateAll((els) => els.map((e) => e.getAttribute('data-text'))),
    };
  };
  const plan = async () => {
    await page.getByTestId('deploy-plan-button').click();
    await page.getByTestId('plan-tree').waitFor();
    await page.getByTestId('deploy-plan-button').and(page.locator(':enabled')).waitFor();
  };
  const applyConfirmed = async (shot?: string) => {
    await page.getByTestId('deploy-apply').click();
    const dialog = page.getByTestId('deploy-confirm');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(`to ${SVC}?`);
    if (shot) await screenshot(page, shot);
    await page.getByTestId('deploy-confirm-apply').click();
    await dialog.waitFor({ state: 'detached' });
  };
  /** Scrolls so the element's top is at the top of the content area, then takes the picture. */
  const shotAt = async (testId: string, name: string, block: 'start' | 'center' | 'end' = 'start') => {
    await page.getByTestId(testId).evaluate((e, b) => e.scrollIntoView({ block: b }), block);
    await screenshot(page, name);
  };
  const setWeight = async (value: string) => {
    await page.getByTestId('nav-pools').click();
    const input = page.locator(WEIGHT);
    await input.fill(value);
    await input.press('Tab');
    await page.getByTestId('nav-deploy').click();
    await page.getByTestId('screen-deploy').waitFor();
  };

  it('signs in with a token through the endpoint setting and picks the service', async () => {
    await signInAndPick(true);
    expect(await page.getByTestId('deploy-account-tenant').textContent()).toContain('72f988bf-0000-0000-0000-000000000000');
    await screenshot(page, 'deploy-01-signed-in-picked');
    expect(errors).toEqual([]);
  });

  it('imports the service, reporting what was read', async () => {
    await signInAndPick();
    await page.getByTestId('deploy-import-open').click();
    const report = page.getByTestId('deploy-import-read');
    await report.waitFor();
    expect(await report.textContent()).toContain('Read 2 backends (aoai-eastus, aoai-uksouth), 1 pool (mybackendpool), 1 API (azure-openai).');
  });

  it('a weight changed in the editor is exactly what the plan shows, and apply writes it', async () => {
    await signInAndPick();
    expect(poolWeight(f, 1)).toBe(1);
    await setWeight('5');
    await plan();
    expect(await planTexts()).toEqual({ changed: ['update pool-mybackendpool'], fields: ['pool.services[1].weight: 1 → 5'] });
    await shotAt('deploy-plan', 'deploy-02-plan');
    await applyConfirmed('deploy-03-confirm');
    await page.getByTestId('deploy-applied').waitFor();
    expect(poolWeight(f, 1)).toBe(5);
    expect(await page.getByTestId('deploy-portal-link').getAttribute('href')).toContain(`/resourceGroups/${RG}/providers/Microsoft.ApiManagement/service/${SVC}/overview`);
    await shotAt('deploy-applied', 'deploy-04-applied', 'end');
    await shotAt('deploy-export', 'deploy-05-export');
  });

  it('a 412 from Azure shows the re-plan message, and re-planning works', async () => {
    await signInAndPick();
    await setWeight('7');
    await plan();
    f.em.faults.add({ on: 'write', action: { kind: 'status', status: 412, code: 'PreconditionFailed', message: 'Resource was modified since last retrieval.' } });
    await applyConfirmed();
    const bar = page.getByTestId('deploy-replan');
    await bar.waitFor();
    expect(await bar.textContent()).toContain('changed by someone else after this plan was made');
    await shotAt('deploy-replan', 'deploy-06-replan', 'end');
    f.em.faults.clear();
    await page.getByTestId('deploy-replan-button').click();
    await bar.waitFor({ state: 'detached' });
    expect((await planTexts()).fields).toEqual(['pool.services[1].weight: 1 → 7']);
    expect(poolWeight(f, 1)).toBe(1); // the refused write left the service as it was
  });

  it('a failure mid-apply shows the rollback report and leaves the emulator unchanged', async () => {
    await signInAndPick();
    // The pool's weight differs from the service's, so the plan has a pool write to fail.
    await setWeight('7');
    // A colleague edited a backend in the portal: the plan now puts it back too, so the apply has two writes.
    const eastus = f.svc.backends.get('aoai-eastus')!;
    f.em.state.putBackend(f.svc, 'aoai-eastus', { ...eastus.properties, description: 'edited in the portal' });
    await plan();
    expect((await planTexts()).changed).toEqual(['update backend-aoai-eastus', 'update pool-mybackendpool']);
    const before = f.em.state.snapshot(f.svc);
    f.em.faults.add({ on: 'write', nth: 2, sticky: true, times: 1, action: { kind: 'status', status: 409, code: 'Conflict', message: 'Another operation is in progress.' } });
    await applyConfirmed();
    const bar = page.getByTestId('deploy-rollback');
    await bar.waitFor();
    expect(await bar.textContent()).toContain(`Apply failed and was rolled back: ${SVC} is as it was before`);
    expect(await page.getByTestId('deploy-rollback-list').textContent()).toContain("update backend 'aoai-eastus': put back as it was");
    expect(await page.getByTestId('apply-step-backend-aoai-eastus').getAttribute('data-status')).toBe('rolled-back');
    expect(f.em.state.snapshot(f.svc)).toEqual(before);
    await shotAt('deploy-rollback', 'deploy-07-rollback', 'end');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shotAt('deploy-rollback', 'deploy-08-rollback-dark', 'end');
  });
});
