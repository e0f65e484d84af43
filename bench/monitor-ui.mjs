// Monitor UI benchmark (issue 8; not a test): 30 simulated backends in one pool under load, faults rotating so
// breakers trip, reset and fail over all the time, the Monitor screen open in Chromium for the whole run.
// Reports the longest main-thread task (PerformanceObserver 'longtask'; goal < 50 ms) and the JS heap after a
// forced GC at the end of the warm-up and at the end (goal: flat — the rings are bounded by the window).
//
//   node bench/monitor-ui.mjs [--seconds 60] [--warmup 65] [--rps 150] [--backends 30] [--window 1] [--screen pools] [--json]
//
// Needs the built app (`npx electron-vite build`) and /usr/bin/chromium.
// Functions passed to page.evaluate and addInitScript run in the page, where these exist.
/* global window, document */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const opts = { seconds: flag('seconds', 60), warmup: flag('warmup', 15), rps: flag('rps', 150), backends: flag('backends', 30), window: flag('window', 1) };
const json = args.includes('--json');
const log = (t) => process.stderr.write(`${t}\n`);
const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  log(`${CHROMIUM} is missing (apt-get install -y chromium): the benchmark drives it`);
  process.exit(2);
}
if (!existsSync(join(root, 'app/dist/renderer/index.html'))) {
  log('the app is not built: run `npx electron-vite build` first');
  process.exit(2);
}

/** 30 backends, one breaker each (429 → open for Retry-After), one pool of all of them with mixed weights. */
function workspace(n) {
  const ids = Array.from({ length: n }, (_, i) => `aoai-${String(i + 1).padStart(2, '0')}`);
  const rule = { name: 'r', failureCondition: { count: 1, interval: 'PT1M', statusCodeRanges: [{ min: 429, max: 429 }, { min: 500, max: 599 }], errorReasons: ['Server errors'] }, tripDuration: 'PT10S', acceptRetryAfter: true };
  return {
    version: 1,
    backends: Object.fromEntries(ids.map((id) => [id, { url: `https://${id}.openai.azure.com/openai`, auth: { type: 'none' }, circuitBreaker: { rules: [rule] } }])),
    pools: { big: { services: ids.map((id, i) => ({ backend: id, priority: 1, weight: 1 + (i % 5) })) } },
    apis: { 'azure-openai': { path: 'openai', backend: 'big', retry: { count: 2, on: [429, 503] } } },
    simulation: Object.fromEntries(ids.map((id) => [id, { latencyMs: { p50: 30, p99: 120 } }])),
  };
}

function startServe(file, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin/breakerboard.mjs'), 'serve', file, '--port', '0'], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /dashboard at (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}

const dir = await mkdtemp(join(tmpdir(), 'bb-bench-monitor-'));
const file = join(dir, 'bench.json');
await writeFile(file, JSON.stringify(workspace(opts.backends), null, 2));
const serve = await startServe(file, dir);
const base = new URL(serve.url).origin;
const token = new URL(serve.url).hash.replace(/^#token=/, '');
const call = async (service, method, payload) => {
  const res = await fetch(`${base}/api/${service}/${method}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(payload ?? {}) });
  const body = await res.json();
  if (!body.ok) throw new Error(`${service}.${method}: ${body.error.message}`);
  return body.value;
};

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
// Installed before the app's own scripts, so no long task goes unseen.
await page.addInitScript(() => {
  const w = window;
  w.__longtasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__longtasks.push({ at: e.startTime, ms: e.duration });
  }).observe({ type: 'longtask', buffered: true });
});
const cdp = await page.context().newCDPSession(page);
const heap = async () => {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
};

let faultTimer;
let exitCode = 0;
try {
  await page.goto(serve.url);
  await page.locator('[data-app-state="ready"]').waitFor({ timeout: 20_000 });
  await page.getByTestId('nav-monitor').click();
  await page.getByTestId('run-start-simulated').click();
  await page.getByTestId('backend-card-aoai-01').waitFor({ timeout: 20_000 });
  if (opts.window !== 1) await page.getByTestId(`window-${opts.window}`).click();
  // --screen pools: the same load with the Monitor not shown, a baseline for what the machine itself costs.
  if (args.includes('--screen')) await page.getByTestId(`nav-${args[args.indexOf('--screen') + 1]}`).click();
  await call('load', 'start', { rps: opts.rps, durationSeconds: opts.seconds + opts.warmup + 5, stream: false });

  // Faults rotate every 3 s: one backend throttled (Retry-After 2), the one before cleared → trips, resets, failovers.
  let k = 0;
  const ids = Object.keys(workspace(opts.backends).backends);
  faultTimer = setInterval(() => {
    const on = ids[k % ids.length];
    const off = ids[(k + ids.length - 1) % ids.length];
    k++;
    void call('simulator', 'clearFault', { backend: off }).catch(() => undefined);
    void call('simulator', 'setFault', { backend: on, fault: { type: 'throttle', retryAfter: 2 } }).catch(() => undefined);
  }, 3000);

  log(`warming up ${opts.warmup} s…`);
  await page.waitForTimeout(opts.warmup * 1000);
  const before = await heap();
  const t0 = await page.evaluate(() => performance.now());
  log(`measuring ${opts.seconds} s…`);
  await page.waitForTimeout(opts.seconds * 1000);
  // Read the long tasks before the forced GC below, which is a long task of its own.
  const tasks = await page.evaluate((from) => window.__longtasks.filter((t) => t.at >= from), t0);
  const all = await page.evaluate(() => window.__longtasks);
  const after = await heap();
  const facts = await page.evaluate(() => ({
    cards: document.querySelectorAll('[data-testid^="backend-card-"]').length,
    rows: Number(document.querySelector('[data-testid="chart-rps"]')?.getAttribute('data-rows') ?? 0),
    logRows: document.querySelectorAll('[data-testid="event-log"] tbody tr').length,
    logCount: document.querySelector('[data-testid="log-count"]')?.textContent ?? '',
  }));
  const status = await call('gateway', 'status');
  const requests = Object.values(status.status?.backends ?? {}).reduce((a, b) => a + b.total.requests, 0);
  const result = {
    command: `node bench/monitor-ui.mjs ${args.join(' ')}`.trim(),
    backends: opts.backends,
    rps: opts.rps,
    seconds: opts.seconds,
    window: `${opts.window} min`,
    gatewayRequests: requests,
    longestTaskMs: Math.round(Math.max(0, ...tasks.map((t) => t.ms))),
    longTasksOver50ms: tasks.filter((t) => t.ms > 50).length,
    longestTasksMs: tasks.map((t) => Math.round(t.ms)).sort((a, b) => b - a).slice(0, 5),
    longestTaskIncludingBootMs: Math.round(Math.max(0, ...all.map((t) => t.ms))),
    heapBeforeMB: +(before / 1048576).toFixed(2),
    heapAfterMB: +(after / 1048576).toFixed(2),
    heapGrowthMB: +((after - before) / 1048576).toFixed(2),
    ...facts,
  };
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    const rows = [
      ['backends / load', `${result.backends} / ${result.rps} req/s (${result.gatewayRequests} served)`],
      ['window, measured', `${result.window}, ${result.seconds} s after ${opts.warmup} s warm-up`],
      // The longtask API reports only tasks of 50 ms or more: none at all means every task stayed under 50 ms.
      ['longest main-thread task', tasks.length === 0 ? 'under 50 ms: no long task at all (goal < 50 ms)' : `${result.longestTaskMs} ms (goal < 50 ms; ${result.longTasksOver50ms} over 50 ms; longest: ${result.longestTasksMs.join(', ')})`],
      ['longest task incl. page load', `${result.longestTaskIncludingBootMs} ms (boot, first render, gateway start)`],
      ['JS heap before → after (GC)', `${result.heapBeforeMB} → ${result.heapAfterMB} MB (${result.heapGrowthMB >= 0 ? '+' : ''}${result.heapGrowthMB} MB)`],
      ['on screen', `${result.cards} cards, ${result.rows} chart rows, ${result.logRows} log rows (${result.logCount})`],
    ];
    const w = Math.max(...rows.map((r) => r[0].length));
    process.stdout.write(`${result.command}\n${rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n')}\n`);
  }
  await call('load', 'cancel').catch(() => undefined);
} catch (e) {
  log(`benchmark failed: ${e.message}`);
  exitCode = 1;
} finally {
  clearInterval(faultTimer);
  await browser.close();
  serve.child.kill('SIGINT');
  await new Promise((r) => serve.child.once('exit', r));
  await rm(dir, { recursive: true, force: true });
}
process.exit(exitCode);
