import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './e2e/support/serve';

/*
 * Offline packaging check (TOOLCHAIN.md): electron-builder 25 `--linux dir` against a dummy Electron
 * distribution (an executable, version, licences, resources/), so no download happens. About 2 s, so it runs
 * with the unit tests. It checks what the asar ships: the built app, and nothing it does not need.
 */
const run = promisify(execFile);
const require = createRequire(import.meta.url);
const ELECTRON_VERSION = (require('electron/package.json') as { version: string }).version;
const MAX_BYTES = 25 * 1024 * 1024;

let work: string;
let files: string[];
let asarBytes: number;

beforeAll(async () => {
  ensureBuilt();
  work = await mkdtemp(join(tmpdir(), 'bb-package-'));
  const dist = join(work, 'electron-dist');
  await mkdir(join(dist, 'resources'), { recursive: true });
  await writeFile(join(dist, 'electron'), '#!/bin/sh\necho "dummy electron for the packaging check"\n');
  await chmod(join(dist, 'electron'), 0o755);
  await writeFile(join(dist, 'version'), `v${ELECTRON_VERSION}`);
  await writeFile(join(dist, 'LICENSE'), 'MIT');
  await writeFile(join(dist, 'LICENSES.chromium.html'), '<html></html>');
  await run(
    process.execPath,
    [resolve('node_modules/electron-builder/cli.js'), '--linux', 'dir', `-c.electronDist=${dist}`, `-c.electronVersion=${ELECTRON_VERSION}`, `-c.directories.output=${join(work, 'out')}`, '--publish', 'never'],
    { timeout: 240_000, env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' } },
  );
  const asar = join(work, 'out', 'linux-unpacked', 'resources', 'app.asar');
  asarBytes = (await stat(asar)).size;
  files = (require('@electron/asar') as { listPackage(p: string): string[] }).listPackage(asar).map((f) => f.replace(/\\/g, '/'));
}, 300_000);

afterAll(() => rm(work, { recursive: true, force: true }));

describe('packaged app (electron-builder --linux dir)', () => {
  it('holds the built main, preload, renderer and the app manifest', () => {
    for (const f of ['/package.json', '/dist/main/index.js', '/dist/preload/index.cjs', '/dist/renderer/index.html']) expect(files).toContain(f);
    expect(files.some((f) => /^\/dist\/renderer\/assets\/index-[\w-]+\.js$/.test(f))).toBe(true);
  });

  it('holds nothing it does not need: no node_modules, sources, tests, maps or dev files', () => {
    const allowed = [
      /^\/package\.json$/,
      /^\/dist(\/(main|preload|renderer|main\/chunks|renderer\/assets))?$/,
      /^\/dist\/main\/index\.js$/, // not cli.js: the CLI runs from the clone, the desktop app does not need it
      /^\/dist\/main\/chunks\/[\w.-]+\.js$/,
      /^\/dist\/preload\/index\.cjs$/,
      /^\/dist\/renderer\/(index\.html|favicon\.svg)$/,
      /^\/dist\/renderer\/assets\/[\w.-]+\.(js|css|svg|png|woff2?)$/,
    ];
    expect(files.filter((f) => !allowed.some((re) => re.test(f)))).toEqual([]);
    expect(files.filter((f) => /node_modules|\.ts$|\.map$|\.test\.|\/test\//.test(f))).toEqual([]);
  });

  it(`stays under ${MAX_BYTES / 1024 / 1024} MB`, () => {
    expect(asarBytes).toBeLessThan(MAX_BYTES);
  });
});
