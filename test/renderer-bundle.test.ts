import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_META } from '../shared/contract';
import { ensureBuilt, startServe, type RunningServe } from './e2e/support/serve';

// The renderer as built (electron.vite.config.ts): minified, split into chunks none of which trips Vite's 500 kB
// warning, every one loaded as a same-origin file (what `script-src 'self'` allows), and served by `serve`.
const DIST = resolve('app/dist/renderer');
const LIMIT = 500 * 1024;

describe('the built renderer bundle', () => {
  let html: string;
  let assets: string[];
  beforeAll(() => {
    ensureBuilt();
    html = readFileSync(join(DIST, 'index.html'), 'utf8');
    assets = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
  });

  it('is split: the page loads several script chunks, each under the warning size, and nothing else is left over', () => {
    const scripts = assets.filter((a) => a.endsWith('.js'));
    expect(scripts.length).toBeGreaterThanOrEqual(4);
    const onDisk = readdirSync(join(DIST, 'assets')).map((f) => `assets/${f}`);
    for (const file of onDisk) expect(statSync(join(DIST, file)).size, file).toBeLessThan(LIMIT);
    // Every chunk is reachable from the page (no dead output), and every reference exists.
    for (const a of assets) expect(onDisk).toContain(a);
    expect(onDisk.filter((f) => f.endsWith('.js')).sort()).toEqual(scripts.sort());
  });

  it('is minified', () => {
    for (const a of assets.filter((f) => f.endsWith('.js'))) {
      const text = readFileSync(join(DIST, a), 'utf8');
      if (text.length < 10_000) continue;
      const lines = text.split('\n').length;
      expect(text.length / lines, a).toBeGreaterThan(400);
    }
  });

  it('keeps the CSP: no inline script, the policy in the page is the shared one', () => {
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).toContain(`content="${CONTENT_SECURITY_POLICY_META}"`);
  });

  describe('served by `serve`', () => {
    let serve: RunningServe;
    beforeAll(async () => {
      serve = await startServe(['--port', '0'], process.cwd());
    }, 60_000);
    afterAll(async () => {
      expect(await serve.stop()).toBe(0);
    });

    it('answers every chunk as JavaScript (or CSS) under the same CSP', async () => {
      const origin = new URL(serve.url).origin;
      for (const a of assets) {
        const res = await fetch(`${origin}/${a}`, { signal: AbortSignal.timeout(10_000) });
        expect(res.status, a).toBe(200);
        expect(res.headers.get('content-type'), a).toMatch(a.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
        expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
        expect(Number(res.headers.get('content-length'))).toBe(statSync(join(DIST, a)).size);
      }
    });
  });
});
