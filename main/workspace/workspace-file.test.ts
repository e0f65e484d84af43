import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WORKSPACE_YAML } from '../../shared/model';
import { BAD_FILES } from '../../test/support/workspace-arbitrary';
import { loadWorkspaceFile, saveWorkspaceFile } from './workspace-file';

/* Bad files give a clear error (never a throw or stack trace) and are never changed by loading. */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bb-load-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadWorkspaceFile with bad files', () => {
  for (const bad of BAD_FILES) {
    it(`${bad.name}: a clear error, the file unchanged`, async () => {
      const path = join(dir, bad.file);
      await writeFile(path, bad.content);
      const before = await stat(path);
      const r = await loadWorkspaceFile(path);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.errors.length).toBeGreaterThan(0);
      const first = r.errors[0]!;
      expect(first.message).toMatch(bad.message);
      expect(first.path).toMatch(bad.path ?? new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
      for (const e of r.errors) expect(`${e.path}: ${e.message}`).not.toMatch(/\n\s+at |Error:/);
      // Buffer.equals, not toEqual: a deep comparison of 5 MB takes seconds.
      expect((await readFile(path)).equals(Buffer.isBuffer(bad.content) ? bad.content : Buffer.from(bad.content))).toBe(true);
      expect((await stat(path)).mtimeMs).toBe(before.mtimeMs);
    });
  }

  it('a directory', async () => {
    const path = join(dir, 'folder.yaml');
    await mkdir(path);
    expect(await loadWorkspaceFile(path)).toEqual({ ok: false, path, errors: [{ path, message: 'is a directory, not a file' }], warnings: [] });
  });

  it('a missing file', async () => {
    const path = join(dir, 'nope.yaml');
    expect(await loadWorkspaceFile(path)).toEqual({ ok: false, path, errors: [{ path, message: 'file not found' }], warnings: [] });
  });

  it.skipIf(process.platform === 'win32')('a device, which would otherwise be read forever', async () => {
    const r = await loadWorkspaceFile('/dev/zero');
    expect(r).toMatchObject({ ok: false, errors: [{ message: 'is not a regular file' }] });
  });

  it('the YAML syntax error points at the line and column of the problem', async () => {
    const path = join(dir, 'indent.yaml');
    await writeFile(path, 'version: 1\nbackends:\n  b1: {}\n  b2: ]\n');
    const r = await loadWorkspaceFile(path);
    expect(r).toMatchObject({ ok: false, errors: [{ path: 'line 4, column 7', message: expect.stringMatching(/^YAML syntax error: Unexpected flow-seq-end token/) }] });
  });
});

describe('loadWorkspaceFile with good files', () => {
  it('reads the demo as YAML with its counts and warnings', async () => {
    const path = join(dir, 'demo.yaml');
    await writeFile(path, DEMO_WORKSPACE_YAML);
    const r = await loadWorkspaceFile(path);
    expect(r).toMatchObject({ ok: true, format: 'yaml', counts: { backends: 2, pools: 1, apis: 1 } });
  });

  it('reads JSON, with a byte-order mark and tab indentation', async () => {
    const path = join(dir, 'ws.json');
    await writeFile(path, `\uFEFF{\n\t"version": 1,\n\t"backends": { "b": { "url": "https://b.example.com" } }\n}\n`);
    const r = await loadWorkspaceFile(path);
    expect(r).toMatchObject({ ok: true, format: 'json', counts: { backends: 1, pools: 0, apis: 0 } });
  });
});

describe('saveWorkspaceFile', () => {
  it('refuses an invalid workspace and leaves the file as it was', async () => {
    const path = join(dir, 'keep.yaml');
    await writeFile(path, DEMO_WORKSPACE_YAML);
    const r = await saveWorkspaceFile(path, { version: 1, backends: { b: { url: 'nope' } } });
    expect(r).toEqual({ ok: false, errors: [{ path: 'backends.b.url', message: expect.stringMatching(/absolute/) }] });
    expect(await readFile(path, 'utf8')).toBe(DEMO_WORKSPACE_YAML);
  });

  it('writes JSON to a .json path and YAML elsewhere', async () => {
    const value = { version: 1, backends: { b: { url: 'https://b.example.com' } } };
    await saveWorkspaceFile(join(dir, 'out.json'), value);
    await saveWorkspaceFile(join(dir, 'out.yaml'), value);
    expect(JSON.parse(await readFile(join(dir, 'out.json'), 'utf8'))).toEqual(value);
    expect(await readFile(join(dir, 'out.yaml'), 'utf8')).toBe('version: 1\nbackends:\n  b:\n    url: https://b.example.com\n');
  });
});
