import type { Page } from 'playwright-core';
import { describe, expect, it, vi } from 'vitest';
import { DEMO_WORKSPACE_YAML } from '../../shared/model';
import { appPerTest } from './support/app-per-test';
import { hasChromium, screenshot, SKIP_REASON } from './support/browser';

/*
 * Issue 8 end to end: the demo workspace in `serve`, simulated backends, load from the Simulate screen, then
 * throttle the heavier backend (aoai-eastus, weight 10) with Retry-After 3 and watch the Monitor: open with
 * a countdown, a trip on the timeline and in the log, traffic on aoai-uksouth; cleared → closed again after the trip.
 * Each test serves its own copy of the demo, opens its own page and starts its own gateway: none relies on a trip,
 * a load or a running gateway left by another, so each passes alone and in any order.
 */
if (!hasChromium) console.warn(`skipping the monitor end-to-end suite: ${SKIP_REASON}`);
vi.setConfig({ testTimeout: 60_000 });

const EAST = 'aoai-eastus';
const UK = 'aoai-uksouth';

async function lastRps(page: Page): Promise<Record<string, number>> {
  return JSON.parse((await page.getByTestId('chart-rps').getAttribute('data-last-rps')) ?? '{}') as Record<string, number>;
}

const tripLogged = (page: Page) => page.locator(`[data-testid="event-log"] [data-testid="log-row-trip"][data-backend="${EAST}"]`).first();

describe.skipIf(!hasChromium)('monitor: watch failover happen (serve, simulated backends)', () => {
  // Closing a test's serve stops its gateway, simulated backends and any load with it.
  const app = appPerTest();

  /** This test's own serve of the demo, open in a page of its own, the gateway started with simulated backends. */
  const openWithGateway = async () => {
    const opened = await app.open({ name: 'demo.yaml', text: DEMO_WORKSPACE_YAML });
    await opened.page.getByTestId('nav-monitor').click();
    await opened.page.getByTestId('run-start-simulated').click();
    await opened.page.getByTestId(`backend-card-${EAST}`).waitFor();
    return opened;
  };

  it('throttle the heavier backend under load: open with a countdown, trip logged, traffic moves; clear: closes after the trip', async () => {
    const { page, errors } = await openWithGateway();
    expect(await page.getByTestId(`breaker-state-${EAST}`).textContent()).toBe('closed');

    // Load from the Simulate screen: 20 requests/s, longer than the test, cancelled at the end.
    await page.getByTestId('nav-simulate').click();
    await page.getByTestId('load-rps').fill('20');
    await page.getByTestId('load-duration').fill('60');
    await page.getByTestId('load-start').click();
    await page.getByTestId('load-progress').waitFor();
    await page.getByTestId('nav-monitor').click();
    await expect.poll(async () => (await lastRps(page))[EAST] ?? 0, { timeout: 8000 }).toBeGreaterThan(10);
    await screenshot(page, 'monitor-01-healthy-under-load');

    await page.getByTestId('nav-simulate').click();
    await page.getByTestId(`fault-${EAST}-retry-after`).fill('3');
    await page.getByTestId(`fault-${EAST}-throttle`).click();
    await page.getByTestId(`fault-state-${EAST}`).filter({ hasText: 'throttle' }).waitFor();
    await page.getByTestId('nav-monitor').click();
    // Waiting on the state itself (how fast it shows is a timing goal for bench/monitor-ui.mjs, not an assertion).
    await page.locator(`[data-testid="breaker-state-${EAST}"]:text-is("open")`).waitFor();
    await page.getByTestId(`countdown-${EAST}`).waitFor();
    expect(await page.getByTestId(`countdown-${EAST}`).textContent()).toMatch(/^closes in [0-3] s$/);
    await expect.poll(() => page.getByTestId(`timeline-lane-${EAST}`).getAttribute('data-trips').then(Number)).toBeGreaterThan(0);
    await tripLogged(page).waitFor();
    // Traffic moves: the newest second of the requests/s chart is UK South's.
    // (East still gets a few tries each time its 3 s are up, trips again at the first 429, and the retry moves them.)
    // A second in which East is probed again after its 3 s may show a few tries: wait for one that shows the move.
    const moved = (m: Record<string, number>) => (m[UK] ?? 0) > 15 && (m[EAST] ?? 0) < (m[UK] ?? 0) / 3;
    await expect.poll(async () => moved(await lastRps(page)), { timeout: 9000 }).toBe(true);
    await screenshot(page, 'monitor-02-eastus-open');

    await page.getByTestId('nav-simulate').click();
    await screenshot(page, 'monitor-02b-simulate-throttled');
    await page.getByTestId(`fault-${EAST}-clear`).click();
    await page.getByTestId(`fault-state-${EAST}`).filter({ hasText: 'healthy' }).waitFor();
    await page.getByTestId('nav-monitor').click();
    // Closed once the last trip's Retry-After (3 s) has passed, with a reset in the log.
    await page.locator(`[data-testid="breaker-state-${EAST}"]:text-is("closed")`).waitFor();
    await page.locator(`[data-testid="event-log"] [data-testid="log-row-reset"][data-backend="${EAST}"]`).first().waitFor();
    await expect.poll(async () => (await lastRps(page))[EAST] ?? 0, { timeout: 6000 }).toBeGreaterThan(10);
    await screenshot(page, 'monitor-03-eastus-back');
    await page.getByTestId('trip-timeline').scrollIntoViewIfNeeded();
    await screenshot(page, 'monitor-04-timeline-and-log');
    // Cancelled before its 60 s are up: the load reports what it sent.
    await page.getByTestId('nav-simulate').click();
    await page.getByTestId('load-cancel').click();
    await page.getByTestId('load-report').waitFor();
    expect(errors).toEqual([]);
  });

  it('a reload while the gateway runs keeps what happened: the trip is still on the timeline and in the log', async () => {
    const { page, errors } = await openWithGateway();
    const gateway = (await page.getByTestId('gateway-url').textContent())!.trim();
    // A trip to remember: East throttled (open 30 s, longer than this test), then a few calls straight to the gateway.
    await page.getByTestId('nav-simulate').click();
    await page.getByTestId(`fault-${EAST}-retry-after`).fill('30');
    await page.getByTestId(`fault-${EAST}-throttle`).click();
    await page.getByTestId(`fault-state-${EAST}`).filter({ hasText: 'throttle' }).waitFor();
    // Bounded: East takes 10 of every 11 picks, so the first call meets its 429 (the retry then answers from UK South).
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${gateway}/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'hello' }], max_tokens: 5 }),
      });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    await page.getByTestId('nav-monitor').click();
    await tripLogged(page).waitFor();
    await page.getByTestId(`timeline-trip-${EAST}`).first().waitFor();

    await page.reload();
    await page.locator('[data-app-state="ready"]').waitFor();
    await page.getByTestId('nav-monitor').click();
    await tripLogged(page).waitFor({ timeout: 5000 });
    await page.getByTestId(`timeline-trip-${EAST}`).first().waitFor({ timeout: 5000 });
    expect(errors).toEqual([]);
  });

  it('runs the seed drill from the Simulate screen and shows pass/fail per expectation; dark theme', async () => {
    const { page, errors } = await openWithGateway();
    await page.getByTestId('nav-simulate').click();
    await page.getByTestId('drill-speed').fill('30');
    await page.getByTestId('drill-run').click();
    await page.getByTestId('drill-report').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('drill-verdict').textContent()).toBe('PASS');
    expect(await page.getByTestId('expectation-tripped-aoai-eastus').getAttribute('data-pass')).toBe('true');
    await page.getByTestId('drill-report').scrollIntoViewIfNeeded();
    await screenshot(page, 'monitor-05-simulate-drill-report');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByTestId('nav-monitor').click();
    await page.locator('#screen-title-monitor').scrollIntoViewIfNeeded();
    await screenshot(page, 'monitor-06-monitor-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByTestId('run-stop').click();
    await page.getByTestId('run-start-simulated').waitFor();
    expect(errors).toEqual([]);
  });
});
