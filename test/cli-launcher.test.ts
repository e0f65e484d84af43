import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WORKSPACE_YAML } from '../shared/model';

/*
 * The committed launcher (bin/breakerboard.mjs) as `npx breakerboard` runs it: a real node process against the
 * build in app/dist. The build is made here only when it is missing (a fresh clone's `npm install` makes it).
 */
const ROOT = process.cwd();
const LAUNCHER = join(ROOT, 'bin', 'breakerboard.mjs');
const BUILT = join(ROOT, 'app', 'dist', 'main', 'cli.js');
const run = promisify(execFile);

async function breakerboard(cwd: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [LAUNCHER, ...args], { cwd, timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

let dir: string;
beforeAll(() => {
  if (!existsSync(BUILT)) execFileSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'ignore', timeout: 120_000 });
  dir = mkdtempSync(join(tmpdir(), 'bb-launcher-'));
  writeFileSync(join(dir, 'demo.yaml'), DEMO_WORKSPACE_YAML);
  writeFileSync(join(dir, 'broken.yaml'), 'version: 1\nbackends:\n  b: { url: 5 }\n');
}, 150_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bin/breakerboard.mjs', () => {
  it('validates the demo through the built CLI', async () => {
    const r = await breakerboard(dir, 'validate', 'demo.yaml');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('ok: 2 backends, 1 pools, 1 apis');
    expect(r.stderr).toMatch(/^warning: backends\.aoai-eastus\./);
  });

  it('rejects a broken file with exit 1, error lines and no stack trace, leaving it unchanged', async () => {
    const before = readFileSync(join(dir, 'broken.yaml'));
    const r = await breakerboard(dir, 'validate', 'broken.yaml');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: backends.b.url: must be an absolute URL\n');
    expect(readFileSync(join(dir, 'broken.yaml')).equals(before)).toBe(true);
  });

  it('exits 2 for bad usage', async () => {
    expect((await breakerboard(dir, 'export', 'demo.yaml', '--format', 'terraform')).code).toBe(2);
  });

  it('says how to build when the build is missing, instead of failing obscurely', async () => {
    const clone = join(dir, 'clone');
    mkdirSync(join(clone, 'bin'), { recursive: true });
    copyFileSync(LAUNCHER, join(clone, 'bin', 'breakerboard.mjs'));
    const r = await run(process.execPath, [join(clone, 'bin', 'breakerboard.mjs'), 'validate', 'x.yaml'], { cwd: clone }).catch((e: { code: number; stderr: string }) => e);
    expect(r).toMatchObject({ code: 2, stderr: expect.stringMatching(/not built yet: run `npm run build`/) });
  });
});
