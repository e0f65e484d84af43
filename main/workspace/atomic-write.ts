import { randomBytes } from 'node:crypto';
import { chmod, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A symlinked workspace stays a symlink: write through to the file it points at. */
async function finalTarget(path: string): Promise<string> {
  return realpath(path).catch(() => path);
}

/**
 * Writes a file so that a reader (or a crash) sees either the old content or the new, never half: a temporary
 * file in the same directory, flushed to disk, then renamed over the target. Keeps the target's permissions, and
 * leaves no temporary file behind when any step fails.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const target = await finalTarget(path);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const existingMode = await stat(target).then((s) => s.mode & 0o7777, () => undefined);
  const handle = await open(tmp, 'wx', existingMode ?? 0o644);
  try {
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    // open()'s mode passes through the umask; an existing file's mode is restored exactly.
    if (existingMode !== undefined) await chmod(tmp, existingMode);
    await rename(tmp, target);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}
