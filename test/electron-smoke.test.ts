import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ensureBuilt } from './e2e/support/serve';

/*
 * Opens the real desktop app once: main process, sandboxed preload, renderer, IPC, up to data-app-state="ready"
 * (main/index.ts reports it and quits when BREAKERBOARD_SMOKE=1). Runs only where the Electron binary is installed
 * (and a display or xvfb-run exists); elsewhere it says why it skipped.
 */
const run = promisify(execFile);
const require = createRequire(import.meta.url);

function electronBinary(): string | null {
  try {
    const path = require('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const xvfb = ['/usr/bin/xvfb-run'].find((p) => existsSync(p)) ?? null;
const display = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY) || process.platform !== 'linux';
const skipReason = !binary
  ? 'the Electron binary is not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD, no internet); `npm start` fetches it where it can'
  : !display && !xvfb
    ? 'no display and no xvfb-run (apt-get install -y xvfb xauth) to give Electron one'
    : null;
if (skipReason) console.warn(`skipping the Electron smoke test: ${skipReason}`);

describe.skipIf(skipReason !== null)('Electron smoke test', () => {
  it('opens the window on the demo and the renderer reaches ready through the preload', async () => {
    ensureBuilt();
    const userData = await mkdtemp(join(tmpdir(), 'bb-electron-'));
    try {
      // Root (CI containers) cannot use Chromium's setuid sandbox; the renderer stays sandboxed by the app's settings.
      const args = [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), resolve('app')];
      const [cmd, argv] = !display && xvfb ? [xvfb, ['-a', binary!, ...args]] : [binary!, args];
      const { stdout } = await run(cmd, argv, {
        timeout: 60_000,
        env: { ...process.env, BREAKERBOARD_SMOKE: '1', BREAKERBOARD_USER_DATA: userData, ELECTRON_RUN_AS_NODE: '' },
      });
      expect(stdout).toContain('breakerboard-smoke: ready');
    } finally {
      await rm(userData, { recursive: true, force: true });
    }
  }, 90_000);
});
