import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

/*
 * Atomic saves: a failure at any step leaves the original file and no temporary file; permissions survive.
 * Failures are injected by wrapping node:fs/promises for the module under test only.
 */
const inject = vi.hoisted(() => ({ failAt: undefined as undefined | 'write' | 'sync' | 'rename' }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const fail = (step: string) => Object.assign(new Error(`injected ${step} failure`), { code: 'ENOSPC' });
  return {
    ...real,
    open: async (...args: Parameters<typeof real.open>) => {
      const handle = await real.open(...args);
      if (inject.failAt === 'write') {
        // Half the content reaches the disk before the failure, as when a disk fills up.
        const write = handle.write.bind(handle);
        handle.writeFile = async (data: string | Uint8Array) => {
          await write(String(data).slice(0, 10));
          throw fail('write');
        };
      }
      if (inject.failAt === 'sync') handle.sync = async () => Promise.reject(fail('sync'));
      return handle;
    },
    rename: async (...args: Parameters<typeof real.rename>) => (inject.failAt === 'rename' ? Promise.reject(fail('rename')) : real.rename(...args)),
  };
});

const { writeFileAtomic } = await import('./atomic-write');

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'bb-atomic-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  inject.failAt = undefined;
});

async function fresh(name: string, content = 'original\n', mode = 0o644): Promise<string> {
  const path = join(dir, name);
  await fs.writeFile(path, content);
  await fs.chmod(path, mode);
  return path;
}

const leftovers = async (name: string) => (await fs.readdir(dir)).filter((f) => f.includes(name) && f !== name);

describe('writeFileAtomic', () => {
  it('replaces the content and leaves no temporary file', async () => {
    const path = await fresh('ok.yaml');
    await writeFileAtomic(path, 'new content\n');
    expect(await fs.readFile(path, 'utf8')).toBe('new content\n');
    expect(await leftovers('ok.yaml')).toEqual([]);
  });

  for (const step of ['write', 'sync', 'rename'] as const) {
    it(`a failed ${step} leaves the original intact and no temporary file`, async () => {
      const name = `fail-${step}.yaml`;
      const path = await fresh(name);
      inject.failAt = step;
      await expect(writeFileAtomic(path, 'replacement that must not appear\n')).rejects.toThrow(`injected ${step} failure`);
      expect(await fs.readFile(path, 'utf8')).toBe('original\n');
      expect(await leftovers(name)).toEqual([]);
    });
  }

  it('a failure to create the temporary file (missing folder) throws and creates nothing', async () => {
    const path = join(dir, 'no-such-folder', 'ws.yaml');
    await expect(writeFileAtomic(path, 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(fs.stat(join(dir, 'no-such-folder'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  for (const mode of [0o600, 0o640, 0o666, 0o755]) {
    it(`keeps permissions ${mode.toString(8)} exactly, whatever the umask`, async () => {
      const path = await fresh(`mode-${mode.toString(8)}.yaml`, 'x', mode);
      await writeFileAtomic(path, 'y');
      expect((await fs.stat(path)).mode & 0o777).toBe(mode);
    });
  }

  it('creates a missing file', async () => {
    const path = join(dir, 'created.yaml');
    await writeFileAtomic(path, 'hello\n');
    expect(await fs.readFile(path, 'utf8')).toBe('hello\n');
    expect(await leftovers('created.yaml')).toEqual([]);
  });

  it.skipIf(process.platform === 'win32')('writes through a symlink and keeps the link', async () => {
    const real = await fresh('real.yaml');
    const link = join(dir, 'link.yaml');
    await fs.symlink(real, link);
    await writeFileAtomic(link, 'through the link\n');
    expect((await fs.lstat(link)).isSymbolicLink()).toBe(true);
    expect(await fs.readFile(real, 'utf8')).toBe('through the link\n');
  });

  it('concurrent saves each land whole', async () => {
    const path = await fresh('race.yaml');
    const a = 'a'.repeat(100_000);
    const b = 'b'.repeat(100_000);
    await Promise.all([writeFileAtomic(path, a), writeFileAtomic(path, b)]);
    expect([a, b]).toContain(await fs.readFile(path, 'utf8'));
    expect(await leftovers('race.yaml')).toEqual([]);
  });
});
