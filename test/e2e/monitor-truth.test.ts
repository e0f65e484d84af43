import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../main/cli/program';
import { DEMO_WORKSPACE_YAML } from '../../shared/model';
import { ARTIFACTS, hasChromium, launchBrowser, screenshot, SKIP_REASON, type FreshPages } from './support/browser';
import { ensureBuilt, startServeWithClock, type ClockedServe } from './support/serve';

/*
 * Issue 15 end to end (Chromium against serve, the gateway's clock injected): one time axis at any uptime, history
 * that survives a reload and a second tab, what clients got as the headline, Export without Azure, Simulate input
 * kept across screens. Each test opens its own page (a fresh browser context) and starts what it needs.
 */
if (!hasChromium) console.warn(`skipping the monitor-truth end-to-end suite: ${SKIP_REASON}`);
vi.setConfig({ testTimeout: 120_000 });

const EAST = 'aoai-eastus';
const UK = 'aoai-uksouth';
/** What the page's `document` is to these browser-side callbacks (the test's tsconfig has no DOM library). */
type PageDocument = { activeElement: unknown; documentElement: { scrollWidth: number; clientWidth: number } };
/** What the status-bar check reads of an element in the page. */
type PageElement = { scrollHeight: number; clientHeight: number; scrollWidth: number; clientWidth: number; children: ArrayLike<PageElement>; getBoundingClientRect(): { height: number }; querySelector(s: string): PageElement | null };

/** The gateway's clock: real time plus what the test moves it on by. */
let offsetMs = 0;
const gatewayNow = () => Date.now() + offsetMs;

async function openApp(pages: FreshPages, url: string, options: Parameters<FreshPages['newPage']>[0] = {}): Promise<Page> {
  const page = await pages.newPage(options);
  await page.goto(url);
  await page.locator('[data-app-state="ready"]').waitFor({ timeout: 20_000 });
  return page;
}

/** Starts the simulated gateway from the Monitor unless it runs already (started by another test or tab). */
async function gatewayRunning(page: Page): Promise<void> {
  await page.getByTestId('nav-monitor').click();
  const start = page.getByTestId('run-start-simulated');
  if (await start.isVisible()) await start.click();
  await page.getByTestId(`backend-card-${EAST}`).waitFor();
}

const attr = async (page: Page, testId: string, name: string) => (await page.getByTestId(testId).first().getAttribute(name)) ?? '';
/** What the page's elements are to these browser-side callbacks. */
type Box = { textContent: string | null; getBoundingClientRect(): { left: number; width: number } };
type Query = { querySelector(s: string): Box | null; querySelectorAll(s: string): ArrayLike<Box> };

/**
 * Where the first 429 bar, EastUS's open band and its trip mark are drawn, each read as a time of day (s) on its own
 * chart's axis (from the labelled ticks): the charts redraw a moment apart, so their pixels may be a second apart.
 */
async function drawnAt(page: Page): Promise<{ bar: number; bandFrom: number; trip: number }> {
  const px = await page.evaluate((east) => {
    const d = (globalThis as unknown as { document: Query }).document;
    const left = (e: Box | null) => e?.getBoundingClientRect().left ?? Number.NaN;
    // Tick labels are centred on their instant.
    const centre = (e: Box) => e.getBoundingClientRect().left + e.getBoundingClientRect().width / 2;
    const ticks = (selector: string) => Array.from(d.querySelectorAll(selector), (text) => [centre(text), text.textContent ?? ''] as const);
    return {
      bar: Math.min(...Array.from(d.querySelectorAll('[data-testid="chart-429"] .recharts-bar-rectangle path'), left)),
      barTicks: ticks('[data-testid="chart-429"] .recharts-xAxis-tick-labels text.recharts-cartesian-axis-tick-value'),
      band: left(d.querySelector(`[data-testid="timeline-band-${east}"]`)),
      trip: left(d.querySelector(`[data-testid="timeline-trip-${east}"] line`)),
      timelineTicks: ticks('[data-testid="trip-timeline"] svg > g:not([data-testid]) > text'),
    };
  }, EAST);
  /** x → seconds of the day, by the first and last labelled ticks (HH:MM:SS) of that axis. */
  const axis = (ticks: readonly (readonly [number, string])[]) => {
    const secs = ([, label]: readonly [number, string]) => label.split(':').reduce((a, n) => a * 60 + Number(n), 0);
    const [a, b] = [ticks[0]!, ticks.at(-1)!];
    return (x: number) => secs(a) + ((x - a[0]) / (b[0] - a[0])) * (secs(b) - secs(a));
  };
  const onBars = axis(px.barTicks);
  const onTimeline = axis(px.timelineTicks);
  return { bar: onBars(px.bar), bandFrom: onTimeline(px.band), trip: onTimeline(px.trip) };
}

/** The seconds (or 3-second steps) in which the per-second 429 chart draws a bar, as the page has them. */
const t429s = async (page: Page) => (await attr(page, 'chart-429', 'data-t429')).split(',').filter(Boolean).map(Number);

describe.skipIf(!hasChromium)('the dashboard tells the truth and keeps your work (serve, injected gateway clock)', () => {
  let dir: string;
  let serve: ClockedServe;
  let pages: FreshPages;

  beforeAll(async () => {
    ensureBuilt();
    dir = await mkdtemp(join(tmpdir(), 'bb-e2e-truth-'));
    await writeFile(join(dir, 'demo.yaml'), DEMO_WORKSPACE_YAML);
    serve = await startServeWithClock(join(dir, 'demo.yaml'), dir, gatewayNow);
    pages = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await pages?.close();
    await serve?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /**
   * Moves the gateway's clock on by `ms` right after it closed a second: the next tick is then a whole second away,
   * so what the gateway counts first after the jump comes before that tick (as after a stall or a clock step).
   */
  function jumpRightAfterATick(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const off = serve.services.gateway.onSnapshot(() => {
        off();
        offsetMs += ms;
        resolve();
      });
    });
  }

  it('after 10 minutes of gateway uptime: the first 429 bar, the open band and the trip agree within one bucket; reload and a second tab show the same history', async () => {
    const page = await openApp(pages, serve.url);
    await gatewayRunning(page);
    await page.getByTestId('nav-simulate').click();
    await page.getByTestId('load-rps').fill('20');
    await page.getByTestId('load-duration').fill('120');
    await page.getByTestId(`fault-${EAST}-retry-after`).fill('30');
    const faultFrom = gatewayNow();
    await page.getByTestId(`fault-${EAST}-throttle`).click();
    await page.getByTestId(`fault-state-${EAST}`).filter({ hasText: 'throttle' }).waitFor();
    // The gateway has been up 10 minutes: its clock (and so every timestamp it sends) is 10 minutes on. EastUS
    // throttles already, so the first request trips it, most likely before the gateway's first tick after the jump.
    await jumpRightAfterATick(10 * 60_000);
    await page.getByTestId('load-start').click();
    await page.getByTestId('load-progress').waitFor();

    await page.getByTestId('nav-monitor').click();
    await page.getByTestId(`timeline-trip-${EAST}`).first().waitFor({ timeout: 20_000 });
    await page.getByTestId(`timeline-band-${EAST}`).first().waitFor({ timeout: 10_000 });
    await expect.poll(() => t429s(page), { timeout: 10_000 }).not.toEqual([]);
    const tripAt = Number(await attr(page, `timeline-trip-${EAST}`, 'data-t'));
    const tripSecond = Math.floor(tripAt / 1000) * 1000;
    // The trip carries the gateway's time, 10 minutes past the browser's: between the fault and now on that clock.
    expect(tripAt).toBeGreaterThanOrEqual(faultFrom);
    expect(tripAt).toBeLessThanOrEqual(gatewayNow());
    expect(tripAt - Date.now()).toBeGreaterThan(9 * 60_000);
    // The 429 that tripped the breaker is drawn in the trip's second; the open band starts there too.
    const first429 = Math.min(...(await t429s(page)));
    expect(Math.abs(first429 - tripSecond)).toBeLessThanOrEqual(1000);
    const bandFrom = Number(await attr(page, `timeline-band-${EAST}`, 'data-from'));
    expect(Math.abs(bandFrom - tripSecond)).toBeLessThanOrEqual(1000);
    // And drawn there: the bar covers the trip's second, under the band's start and the trip mark (same x axis).
    const drawn = await drawnAt(page);
    const ofDay = (t: number) => { const d = new Date(t); return d.getHours() * 3600 + d.getMinutes() * 60 + d.getSeconds() + d.getMilliseconds() / 1000; };
    // Pixels are whole: 0.15 s is about two of them in a 1-minute window.
    expect(Math.abs(drawn.bar - ofDay(tripSecond))).toBeLessThan(0.15);
    expect(Math.abs(drawn.bandFrom - ofDay(tripSecond))).toBeLessThan(0.15);
    expect(Math.abs(drawn.trip - ofDay(tripAt))).toBeLessThan(0.15);
    // The log has the same trip at the same instant (later "held open" extensions are logged too).
    await page.getByTestId('event-log').locator(`[data-testid="log-row-trip"][data-backend="${EAST}"][data-t="${tripAt}"]`).first().waitFor({ timeout: 5_000 });
    // Every client call was answered: the failover worked, whatever EastUS said.
    await expect.poll(async () => Number(await page.getByTestId('client-requests').textContent()), { timeout: 10_000 }).toBeGreaterThan(20);
    expect(await page.getByTestId('client-success').textContent()).toBe('100 % answered 2xx');
    expect(await page.getByTestId('client-errors').textContent()).toBe('0');
    await screenshot(page, 'monitor-after-10-min-uptime', { dir: ARTIFACTS, fullPage: true });
    await page.getByTestId('monitor-charts').screenshot({ path: join(ARTIFACTS, 'monitor-charts-after-10-min-uptime.png'), animations: 'disabled' });
    // The charts are taller than the window: the 429 bars over the trip timeline, in one picture (one instant).
    await page.getByTestId('trip-timeline').scrollIntoViewIfNeeded();
    const top = (await page.getByTestId('chart-429').boundingBox())!;
    const bottom = (await page.getByTestId('trip-timeline').boundingBox())!;
    await page.screenshot({ path: join(ARTIFACTS, '429-bars-and-timeline-after-10-min-uptime.png'), animations: 'disabled', clip: { x: top.x, y: top.y, width: top.width, height: bottom.y + bottom.height - top.y } });

    // A reload draws the same history: the trip at the same instant, the 429s in the same second.
    await page.reload();
    await page.locator('[data-app-state="ready"]').waitFor({ timeout: 20_000 });
    await page.getByTestId('nav-monitor').click();
    await page.getByTestId(`timeline-trip-${EAST}`).first().waitFor({ timeout: 10_000 });
    expect(Number(await attr(page, `timeline-trip-${EAST}`, 'data-t'))).toBe(tripAt);
    await expect.poll(() => t429s(page), { timeout: 10_000 }).toContain(first429);
    await page.getByTestId('event-log').locator(`[data-testid="log-row-trip"][data-t="${tripAt}"]`).first().waitFor({ timeout: 5_000 });
    await screenshot(page, 'monitor-after-reload', { dir: ARTIFACTS, fullPage: true });

    // A second tab on the 15-minute window: the same trip and 429s, and the log is not empty.
    const second = await openApp(pages, serve.url);
    await second.getByTestId('nav-monitor').click();
    await second.getByTestId('window-15').click();
    await second.getByTestId(`timeline-trip-${EAST}`).first().waitFor({ timeout: 10_000 });
    expect(Number(await attr(second, `timeline-trip-${EAST}`, 'data-t'))).toBe(tripAt);
    // 15 minutes are drawn in 3-second steps: the 429s fall in the step that holds their second.
    await expect.poll(async () => (await t429s(second)).some((t) => t <= first429 && first429 < t + 3000), { timeout: 10_000 }).toBe(true);
    await second.getByTestId('event-log').locator(`[data-testid="log-row-trip"][data-t="${tripAt}"]`).first().waitFor({ timeout: 5_000 });
    // The load started in the first tab shows its progress here, not "starting…".
    await second.getByTestId('nav-simulate').click();
    await expect.poll(async () => (await second.getByTestId('load-progress').textContent()) ?? '', { timeout: 5_000 }).toMatch(/sent/);
    await second.getByTestId('load-cancel').click();
    await second.getByTestId(`fault-${EAST}-clear`).click();
    await second.context().close();
    await page.context().close();
  });

  it('Export is reachable from the editor with no sign-in and shows exactly what `export` prints; Escape gives focus back', async () => {
    const page = await openApp(pages, serve.url);
    await page.getByTestId('nav-pools').click();
    const open = page.getByRole('button', { name: 'Export', exact: true });
    await open.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('export-preview').waitFor();
    const cli = async (format: string) => {
      let out = '';
      const code = await runCli(['export', 'demo.yaml', '--format', format], { stdout: (t) => void (out += t), stderr: () => undefined, env: {}, cwd: dir, isTty: false });
      expect(code).toBe(0);
      return out;
    };
    expect(await dialog.getByTestId('export-preview').textContent()).toBe(await cli('bicep'));
    await dialog.getByTestId('export-tab-arm').click();
    expect(await dialog.getByTestId('export-preview').textContent()).toBe(await cli('arm'));
    await dialog.getByTestId('export-tab-policy').click();
    expect(await dialog.getByTestId('export-preview').textContent()).toBe(await cli('policy'));
    expect(await dialog.getByTestId('export-save').isEnabled()).toBe(true);
    // The dialog is what assistive technology reads: Fluent's focus trap hides the rest of the page (waited for: it
    // updates after 250 ms), never the dialog itself. jsdom cannot show this (its focus never activates the trap), so it is checked here.
    await expect.poll(() => page.getByTestId('app-header').evaluate((el) => el.closest('[aria-hidden="true"]') !== null)).toBe(true);
    expect(await dialog.getAttribute('aria-hidden')).toBeNull();
    await screenshot(page, 'export-dialog', { dir: ARTIFACTS });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => open.evaluate((el) => el === (globalThis as unknown as { document: PageDocument }).document.activeElement)).toBe(true);
    await page.context().close();
  });

  it('Simulate input (rate, duration, an edited drill) is kept across screens', async () => {
    const page = await openApp(pages, serve.url);
    await page.getByTestId('nav-simulate').click();
    await page.getByTestId('load-rps').fill('35');
    await page.getByTestId('load-duration').fill('77');
    const drill = page.getByTestId('drill-text');
    await drill.fill(`${await drill.inputValue()}\n# my edit`);
    await page.getByTestId('nav-pools').click();
    await page.getByTestId('nav-monitor').click();
    await page.getByTestId('nav-simulate').click();
    expect(await page.getByTestId('load-rps').inputValue()).toBe('35');
    expect(await page.getByTestId('load-duration').inputValue()).toBe('77');
    expect(await page.getByTestId('drill-text').inputValue()).toMatch(/# my edit$/);
    await page.context().close();
  });

  it('reads well at 1024 px and in dark mode: no sideways scroll, every chart labelled on its time axis', async () => {
    const page = await openApp(pages, serve.url, { viewport: { width: 1024, height: 768 } });
    await gatewayRunning(page);
    await page.getByTestId('nav-simulate').click();
    await page.getByTestId('load-rps').fill('10');
    await page.getByTestId('load-duration').fill('20');
    // A load may be running already (another test's, in this shared serve): then it is the traffic.
    if (await page.getByTestId('load-start').isVisible()) await page.getByTestId('load-start').click();
    await page.getByTestId('nav-monitor').click();
    await expect.poll(async () => Number(await page.getByTestId('client-requests').textContent()), { timeout: 15_000 }).toBeGreaterThan(10);
    for (const id of ['pools', 'breakers', 'monitor', 'simulate', 'deploy']) {
      await page.getByTestId(`nav-${id}`).click();
      await page.getByTestId(`screen-${id}`).waitFor();
      expect(await page.evaluate(() => {
        const d = (globalThis as unknown as { document: PageDocument }).document.documentElement;
        return d.scrollWidth <= d.clientWidth;
      }), `${id} scrolls sideways at 1024 px`).toBe(true);
    }
    await page.getByTestId('nav-monitor').click();
    for (const chart of ['chart-rps', 'chart-success', 'chart-latency', 'chart-tokens', 'chart-429']) {
      expect(await page.getByTestId(chart).locator('.recharts-xAxis .recharts-cartesian-axis-tick').count(), `${chart} has time labels`).toBeGreaterThan(1);
    }
    await screenshot(page, 'monitor-1024px', { dir: ARTIFACTS, fullPage: true });
    await page.getByTestId('monitor-charts').screenshot({ path: join(ARTIFACTS, 'monitor-charts-1024px.png'), animations: 'disabled' });
    await page.context().close();

    const dark = await openApp(pages, serve.url, { colorScheme: 'dark' });
    await dark.getByTestId('nav-monitor').click();
    await dark.getByTestId(`backend-card-${UK}`).waitFor();
    await screenshot(dark, 'monitor-dark', { dir: ARTIFACTS, fullPage: true });
    await dark.getByTestId('monitor-charts').screenshot({ path: join(ARTIFACTS, 'monitor-charts-dark.png'), animations: 'disabled' });
    await dark.getByTestId('nav-pools').click();
    await screenshot(dark, 'pools-dark', { dir: ARTIFACTS, fullPage: true });
    await dark.context().close();
  });

  it('at 200 % zoom (640 and 512 px at device scale 2) the status bar stays one line: texts give way with an ellipsis, the gateway first to keep its place', async () => {
    for (const width of [640, 512]) {
      const page = await openApp(pages, serve.url, { viewport: { width, height: 600 }, deviceScaleFactor: 2 });
      await gatewayRunning(page);
      const bar = page.getByTestId('status-bar');
      const fit = await bar.evaluate((el) => {
        const e = el as unknown as PageElement;
        const label = e.querySelector('[data-testid="gateway-status"] [title]');
        return {
          overflows: e.scrollHeight > e.clientHeight,
          tallest: Math.max(...Array.from(e.children, (c) => c.getBoundingClientRect().height)),
          line: label?.getBoundingClientRect().height ?? 0,
          gatewayClipped: label ? label.scrollWidth > label.clientWidth : true,
        };
      });
      expect(fit.overflows, `status bar content taller than the bar at ${width} px`).toBe(false);
      // Every item is one line of text high (two lines wrapped before).
      expect(fit.line).toBeGreaterThan(0);
      expect(fit.tallest, `an item wraps at ${width} px`).toBeLessThanOrEqual(fit.line);
      expect((await bar.boundingBox())!.height).toBeLessThanOrEqual(28);
      expect(fit.gatewayClipped, `the gateway's address is cut at ${width} px`).toBe(false);
      expect(await page.getByTestId('gateway-status').textContent()).toMatch(/^Gateway running at http:\/\/127\.0\.0\.1:\d+$/);
      await screenshot(page, `status-bar-${width}px-zoom-200`, { dir: ARTIFACTS });
      await page.context().close();
    }
  });
});

